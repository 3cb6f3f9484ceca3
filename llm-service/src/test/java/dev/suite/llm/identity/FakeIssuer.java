package dev.suite.llm.identity;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A local OpenID provider as quarkus-oidc sees one: discovery document and JWKS over HTTP, and
 * RS256 tokens signed with its key. Tokens it did not sign, or that expired, must be refused.
 */
public class FakeIssuer implements QuarkusTestResourceLifecycleManager {

    static final String KID = "test-key-1";
    private static KeyPair keys;
    private static String issuer;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            keys = rsa();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/suite";
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        String discovery = """
                {"issuer": "%1$s", "jwks_uri": "%1$s/protocol/openid-connect/certs",
                 "authorization_endpoint": "%1$s/protocol/openid-connect/auth",
                 "token_endpoint": "%1$s/protocol/openid-connect/token",
                 "id_token_signing_alg_values_supported": ["RS256"]}""".formatted(issuer);
        String jwks = """
                {"keys": [{"kty": "RSA", "kid": "%s", "use": "sig", "alg": "RS256", "n": "%s", "e": "%s"}]}"""
                .formatted(KID, b64(unsigned(pub.getModulus())), b64(unsigned(pub.getPublicExponent())));
        serve("/realms/suite/.well-known/openid-configuration", discovery);
        serve("/realms/suite/protocol/openid-connect/certs", jwks);
        server.start();
        return Map.of(
                "suite.auth.mode", "oidc",
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", issuer);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void serve(String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    /** A token for {@code subject} signed by this issuer, valid for {@code lifetimeSeconds} (negative: expired). */
    static String token(String subject, long lifetimeSeconds) {
        return sign(keys, subject, lifetimeSeconds);
    }

    /** The same token shape signed by a key the issuer never published. */
    static String tokenFromAnotherKey(String subject) {
        try {
            return sign(rsa(), subject, 300);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(KeyPair signer, String subject, long lifetimeSeconds) {
        long now = Instant.now().getEpochSecond();
        String header = b64("""
                {"alg":"RS256","typ":"JWT","kid":"%s"}""".formatted(KID).getBytes(StandardCharsets.UTF_8));
        String payload = b64("""
                {"iss":"%s","sub":"%s","iat":%d,"exp":%d,"preferred_username":"someone-else"}"""
                .formatted(issuer, subject, now, now + lifetimeSeconds).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(signer.getPrivate());
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

package dev.suite.llm.embeddings;

import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.EchoResponder;
import dev.suite.llm.chat.Operation;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.ProviderAdapter;
import dev.suite.llm.config.Provider;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings, for the providers that have them: OpenAI and OpenAI-compatible servers, Gemini and
 * Ollama. An Anthropic config has none (a 400 saying so). The echo provider answers deterministic
 * unit vectors derived from each text, so that suites and tests get stable embeddings offline.
 */
@ApplicationScoped
public class EmbeddingsOperation implements Operation {

    /** The length of an echo vector when the request names no {@code dimensions}. */
    static final int ECHO_DIMENSIONS = 16;

    private final Map<Provider, ProviderAdapter> byProvider = new EnumMap<>(Provider.class);

    public EmbeddingsOperation() {
        OpenAiEmbeddings openai = new OpenAiEmbeddings();
        byProvider.put(Provider.OPENAI, openai);
        byProvider.put(Provider.OPENAI_COMPATIBLE, openai);
        byProvider.put(Provider.GEMINI, new GeminiEmbeddings());
        byProvider.put(Provider.OLLAMA, new OllamaEmbeddings());
    }

    @Override
    public ProviderAdapter adapter(Provider provider, String configName) {
        ProviderAdapter adapter = byProvider.get(provider);
        if (adapter == null) {
            throw new ChatException(400, "invalid_request_error", "embeddings_not_supported", "Config '" + configName
                    + "' is a " + provider.wireName() + " config, and " + provider.wireName()
                    + " has no embeddings API; use an OpenAI, OpenAI-compatible, Gemini or Ollama config.", null, false);
        }
        return adapter;
    }

    @Override
    public Completion echo(ChatCall call) {
        int dimensions = call.request().path("dimensions").asInt(ECHO_DIMENSIONS);
        List<float[]> vectors = new ArrayList<>();
        int tokens = 0;
        for (String text : EmbeddingsRequests.texts(call.request(), "echo")) {
            vectors.add(unitVector(text, dimensions));
            tokens += EchoResponder.tokens(text);
        }
        return EmbeddingLists.of(call, vectors, tokens);
    }

    /** A vector of the given length from the text's SHA-256 chain, scaled to length one. */
    static float[] unitVector(String text, int dimensions) {
        float[] vector = new float[dimensions];
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = sha.digest(text.getBytes(StandardCharsets.UTF_8));
            double norm = 0;
            for (int i = 0; i < dimensions; i++) {
                if (i > 0 && i % block.length == 0) {
                    block = sha.digest(block);
                }
                vector[i] = block[i % block.length] / 128f;
                norm += vector[i] * vector[i];
            }
            float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dimensions; i++) {
                vector[i] *= scale;
            }
            return vector;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}

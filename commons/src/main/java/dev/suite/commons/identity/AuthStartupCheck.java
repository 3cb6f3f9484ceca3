package dev.suite.commons.identity;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Refuses to start with an identity configuration that would leave the service open or unusable. */
@ApplicationScoped
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);

    void check(@Observes StartupEvent event, AuthConfig config, SuiteAuthMechanism mechanism) {
        switch (config.mode()) {
            case LOCAL -> LOG.infof("suite.auth.mode=local: every request acts as user '%s'", config.localUser());
            case API_KEY -> {
                if (mechanism.apiKeys().isEmpty()) {
                    throw new IllegalStateException("suite.auth.mode=api-key but SUITE_AUTH_API_KEYS is empty: "
                            + "set it to user:sha256hex[:role+role] entries, comma-separated");
                }
                LOG.info("suite.auth.mode=api-key");
            }
            case OIDC -> {
                var cfg = ConfigProvider.getConfig();
                boolean enabled = cfg.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(false);
                boolean issuer = cfg.getOptionalValue("quarkus.oidc.auth-server-url", String.class).isPresent();
                if (!enabled || !issuer) {
                    throw new IllegalStateException("suite.auth.mode=oidc needs QUARKUS_OIDC_AUTH_SERVER_URL "
                            + "(the issuer) and QUARKUS_OIDC_TENANT_ENABLED=true");
                }
                LOG.info("suite.auth.mode=oidc");
            }
        }
    }
}

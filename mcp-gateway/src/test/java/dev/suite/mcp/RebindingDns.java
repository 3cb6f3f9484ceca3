package dev.suite.mcp;

import dev.suite.commons.net.SystemHostResolver;
import dev.suite.commons.testing.ScriptedDns;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;

/** The service's resolver in tests: names under {@code .rebind.test} answer as a test scripts them. */
@Alternative
@Priority(1)
@Singleton
public class RebindingDns extends ScriptedDns {

    public RebindingDns(Vertx vertx) {
        super(new SystemHostResolver(vertx));
    }
}

package dev.suite.commons.request;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on a request's head, answered by {@link RequestHeadLimits} with 414 and 431 problems. */
@ConfigMapping(prefix = "suite.request")
public interface RequestConfig {

    /** Longest request URI, in characters. */
    @WithDefault("8192")
    int maxUriLength();

    /** Largest header block, in bytes (names, values and their separators). */
    @WithDefault("20480")
    int maxHeaderBytes();
}

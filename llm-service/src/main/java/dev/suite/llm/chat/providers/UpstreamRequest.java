package dev.suite.llm.chat.providers;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** The HTTP request a provider adapter wants sent: always a POST of JSON. */
public record UpstreamRequest(String url, MultiMap headers, Buffer body) {
}

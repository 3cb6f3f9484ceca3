import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;

/**
 * A fast stand-in for an OpenAI-compatible server: answers POST /v1/chat/completions at once with a
 * fixed completion, or a fixed stream of 12 chunks, so that what the benchmark measures is the path
 * in front of it. Usage: java -cp <vertx classpath> FakeOpenAi.java <port>
 */
public class FakeOpenAi {

    private static final String COMPLETION = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"fake-model","choices":[{"index":0,\
            "message":{"role":"assistant","content":"Hello there, this is a short benchmark answer."},\
            "finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}}""";

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Buffer completion = Buffer.buffer(COMPLETION);
        StringBuilder sse = new StringBuilder();
        String[] words = "Hello there, this is a short benchmark answer streamed back word by word .".split(" ");
        for (String word : words) {
            sse.append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,")
                    .append("\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(word).append(" \"},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,")
                .append("\"model\":\"fake-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,")
                .append("\"completion_tokens\":13,\"total_tokens\":25}}\n\ndata: [DONE]\n\n");
        Buffer stream = Buffer.buffer(sse.toString());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (body.toString().contains("\"stream\":true")) {
                req.response().putHeader("Content-Type", "text/event-stream").setChunked(true).end(stream);
            } else {
                req.response().putHeader("Content-Type", "application/json").end(completion);
            }
        })).listen(port, "127.0.0.1").onSuccess(s -> System.out.println("fake OpenAI on " + port));
    }
}

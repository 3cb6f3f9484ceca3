import dev.suite.commons.perimeter.PerimeterRules;
import dev.suite.launcher.gateway.ApiGateway;
import dev.suite.launcher.gateway.RouteTable;
import dev.suite.launcher.supervise.ServiceDirectory;
import dev.suite.launcher.supervise.ServiceState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.List;

/**
 * The suite's API gateway as ./suite runs it (one instance per core, the packaged route table),
 * with every service pointed at one upstream port, so the benchmark measures the gateway alone.
 * Usage: java -cp <launcher classpath> GatewayBench.java <gateway port> <upstream port>
 */
public class GatewayBench {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        RouteTable routes = RouteTable.load();
        ServiceDirectory directory = new ServiceDirectory();
        routes.services().forEach(service -> directory.put(service, upstream, ServiceState.READY));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        // ./suite's perimeter: loopback names and addresses, the local dev server as an origin.
        PerimeterRules perimeter = new PerimeterRules(List.of(), List.of("http://localhost:5173"));
        vertx.deployVerticle(() -> new ApiGateway(routes, directory, perimeter, port),
                        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("gateway listening on " + port + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (NIO)"));
    }
}

package dev.suite.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifests under k8s/, checked offline by k8s/validate/validate.mjs: every overlay
 * renders, every object fits the Kubernetes schemas, and the Ingress, probes, Services, policies
 * and environments follow the suite's rules (k8s/README.md, "Validation"); k8s/observability's
 * dashboards, alert rules and PodMonitor follow theirs (k8s/observability/README.md). Needs Node.js
 * and npm; the pinned packages are installed on first use, and again when package-lock.json changes.
 */
class KubernetesManifestsIT {

    private static final Path K8S = Launcher.ROOT.resolve("k8s");
    private static final Path VALIDATE = K8S.resolve("validate");

    @BeforeAll
    static void installPackages() throws Exception {
        Path installed = VALIDATE.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed) && !olderThan(installed, VALIDATE.resolve("package-lock.json"))
                && !olderThan(installed, VALIDATE.resolve("package.json"))) {
            return;
        }
        Result npm = run(VALIDATE, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
        assertEquals(0, npm.exit(), "npm ci in k8s/validate failed:\n" + npm.output());
    }

    @Test
    void manifestsRenderAndPassEveryCheck() throws Exception {
        Result result = validate(K8S);
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("overlays/prod:"), result.output());
        assertTrue(result.output().contains("overlays/dev:"), result.output());
        assertTrue(result.output().contains("observability:"), result.output());
    }

    @Test
    void validationFailsOnAnIngressThatMissesARouteAndAProbeOffHealth() throws Exception {
        Path copy = Files.createTempDirectory("k8s-broken");
        try {
            copyManifests(K8S, copy);
            Path ingress = copy.resolve("base/ingress.yaml");
            String routes = Files.readString(ingress);
            // The /ws/toolbar path entry: its "- path" line and the deeper-indented lines under it.
            String withoutToolbar = routes.replaceAll("(?m)^ {10}- path: /ws/toolbar\\n(?: {12}.*\\n)+", "");
            assertTrue(withoutToolbar.length() < routes.length(), "the toolbar route to remove is in ingress.yaml");
            Files.writeString(ingress, withoutToolbar);
            Path defaults = copy.resolve("base/service-defaults.yaml");
            Files.writeString(defaults, Files.readString(defaults).replace("/q/health/live", "/healthz"));

            Result result = validate(copy);
            assertEquals(1, result.exit(), result.output());
            assertTrue(result.output().contains("/ws/toolbar (mcp-gateway in routes.txt) is not routed"), result.output());
            assertTrue(result.output().contains("livenessProbe must GET /q/health/live"), result.output());
        } finally {
            try (Stream<Path> files = Files.walk(copy)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void validationFailsOnABrokenDashboardQueryAnUnlistedMetricAndRulesThatDiffer() throws Exception {
        Path copy = Files.createTempDirectory("k8s-broken");
        try {
            copyManifests(K8S, copy);
            Path workflows = copy.resolve("observability/dashboards/suite-workflows.json");
            String board = Files.readString(workflows);
            String unbalanced = board.replaceFirst("sum\\(workflow_executions_running_here",
                    "sum((workflow_executions_running_here");
            assertTrue(unbalanced.length() > board.length(), "the query to break is in suite-workflows.json");
            Files.writeString(workflows, unbalanced);
            Path tasks = copy.resolve("observability/dashboards/suite-tasks.json");
            Files.writeString(tasks, Files.readString(tasks).replace("task_queue_depth{", "task_queue_length{"));
            Path rules = copy.resolve("observability/rules.yaml");
            String alerts = Files.readString(rules);
            assertTrue(alerts.contains("(task_queue_depth) > 100"), "the backlog floor to change is in rules.yaml");
            Files.writeString(rules, alerts.replace("(task_queue_depth) > 100", "(task_queue_depth) > 50"));

            Result result = validate(copy);
            assertEquals(1, result.exit(), result.output());
            assertTrue(result.output().contains("\"Running now\" query A: PromQL does not parse"), result.output());
            assertTrue(result.output().contains("task_queue_length is read by a dashboard or rule but not listed in metrics.txt"),
                    result.output());
            assertTrue(result.output().contains("PrometheusRule/suite: spec.groups differ from rules.yaml"), result.output());
        } finally {
            try (Stream<Path> files = Files.walk(copy)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Result validate(Path k8s) throws Exception {
        return run(VALIDATE, Duration.ofMinutes(5), "node", "validate.mjs", "--k8s", k8s.toString());
    }

    /** k8s/ without the validator's node_modules, which the copy does not need. */
    private static void copyManifests(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !p.startsWith(VALIDATE)).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static boolean olderThan(Path file, Path other) throws IOException {
        FileTime mine = Files.getLastModifiedTime(file);
        return mine.compareTo(Files.getLastModifiedTime(other)) < 0;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path directory, Duration limit, String... command) throws Exception {
        Path log = Files.createTempFile("k8s-validate", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " ran past " + limit + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

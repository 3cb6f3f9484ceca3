package dev.suite.launcher;

import dev.suite.launcher.cli.Down;
import dev.suite.launcher.cli.Restart;
import dev.suite.launcher.cli.Status;
import dev.suite.launcher.cli.Up;

import java.util.Locale;

/** The commands behind ./suite (which makes MariaDB and Redis reachable and rebuilds stale jars first). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // One line per record, in the supervisor's log and on the terminal alike.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$-7s %5$s%6$s%n");
        Locale.setDefault(Locale.ROOT);
        int status;
        try {
            status = run(args);
        } catch (Settings.InvalidSetting e) {
            System.err.println("suite: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("suite: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    private static int run(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        if (command.equals("help") || command.equals("-h") || command.equals("--help")) {
            System.out.println("usage: suite-launcher up | down | status | restart <service> | supervise");
            return 0;
        }
        Settings settings = Settings.fromEnvironment(System.getenv());
        return switch (command) {
            case "up" -> new Up(settings).run();
            case "down" -> new Down(settings).run();
            case "status" -> new Status(settings).run();
            case "restart" -> {
                if (args.length != 2) {
                    System.err.println("suite: usage: restart <service>");
                    yield 2;
                }
                yield new Restart(settings).run(args[1]);
            }
            case "supervise" -> Daemon.run(settings);
            default -> {
                System.err.println("suite: unknown command '" + command + "'");
                yield 2;
            }
        };
    }
}

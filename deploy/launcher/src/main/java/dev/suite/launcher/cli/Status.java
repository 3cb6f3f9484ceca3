package dev.suite.launcher.cli;

import dev.suite.launcher.RunDir;
import dev.suite.launcher.Settings;
import dev.suite.launcher.control.ControlClient;

import java.util.Optional;

/** {@code ./suite status}: the table, from the running supervisor. Exit 0 when it runs, 3 when it does not. */
public final class Status {

    private final RunDir runDir;

    public Status(Settings settings) {
        this.runDir = new RunDir(settings.runDir());
    }

    public int run() throws Exception {
        Optional<ControlClient> client = ControlClient.find(runDir);
        if (client.isEmpty()) {
            System.out.println("suite: not running (./suite up starts it)");
            return 3;
        }
        var status = client.get().status();
        StatusTable.print(System.out, status);
        StatusTable.printLastExits(System.out, status);
        return 0;
    }
}

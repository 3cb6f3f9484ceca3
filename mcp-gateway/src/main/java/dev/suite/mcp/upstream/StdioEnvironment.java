package dev.suite.mcp.upstream;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Environment variables a user may not give a stdio server: those that make the dynamic loader,
 * an interpreter or a package manager run code of their choosing before the server's own
 * ({@code LD_PRELOAD}, {@code NODE_OPTIONS=--require …}, {@code npm_config_script_shell} …), and
 * those the gateway sets itself ({@code PATH}, {@code HOME}, {@code TMPDIR}).
 */
public final class StdioEnvironment {

    private static final List<String> PREFIXES = List.of("LD_", "DYLD_", "PYTHON", "PERL5", "PERL_", "RUBY",
            "NPM_CONFIG_", "GIT_", "MALLOC_", "JAVA_", "JDK_", "BASH_FUNC_");
    private static final Set<String> NAMES = Set.of("NODE_OPTIONS", "NODE_PATH", "NODE_REPL_EXTERNAL_MODULE",
            "_JAVA_OPTIONS", "CLASSPATH", "PERLLIB", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4", "IFS",
            "GCONV_PATH", "GLIBC_TUNABLES", "LOCPATH", "NLSPATH", "HOSTALIASES", "RESOLV_HOST_CONF", "PATH", "HOME",
            "TMPDIR", "SHELL", "EDITOR", "VISUAL", "PAGER", "BROWSER", "UV_PYTHON", "DENO_DIR", "BUN_INSTALL");

    private StdioEnvironment() {
    }

    /** Why a user may not set this variable, or empty when they may. */
    public static Optional<String> refusal(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (NAMES.contains(upper) || PREFIXES.stream().anyMatch(upper::startsWith)) {
            return Optional.of("'" + name + "' may not be set: it changes what code runs, or is the gateway's to set");
        }
        return Optional.empty();
    }
}

package dev.suite.commons.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The configured api keys: which SHA-256 hash stands for which user and roles. */
public final class ApiKeys {

    public record Entry(String userId, byte[] sha256, Set<String> roles) {
    }

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final String DEFAULT_ROLE = "user";

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses {@code user:sha256hex[:role+role]} entries separated by commas.
     *
     * @throws IllegalArgumentException naming the malformed entry by position (never its content,
     *                                  which may be a key pasted by mistake)
     */
    public static ApiKeys parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        if (spec == null) {
            return new ApiKeys(entries);
        }
        String[] items = spec.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                continue;
            }
            String[] parts = item.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || !USER.matcher(parts[0]).matches()
                    || !HASH.matcher(parts[1]).matches()) {
                throw new IllegalArgumentException("SUITE_AUTH_API_KEYS entry " + (i + 1)
                        + " is not of the form user:sha256hex[:role+role] (the hash is 64 hex characters)");
            }
            Set<String> roles = new LinkedHashSet<>();
            roles.add(DEFAULT_ROLE);
            if (parts.length == 3 && !parts[2].isEmpty()) {
                for (String role : parts[2].split("\\+")) {
                    if (!ROLE.matcher(role).matches()) {
                        throw new IllegalArgumentException("SUITE_AUTH_API_KEYS entry " + (i + 1)
                                + " has an invalid role name");
                    }
                    roles.add(role);
                }
            }
            entries.add(new Entry(parts[0], HexFormat.of().parseHex(parts[1].toLowerCase()), Set.copyOf(roles)));
        }
        return new ApiKeys(List.copyOf(entries));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry whose hash matches the presented key, compared in constant time. */
    public Optional<Entry> match(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        Entry found = null;
        for (Entry entry : entries) {
            // No early exit: every entry is compared, so timing does not tell which one matched.
            if (MessageDigest.isEqual(entry.sha256(), hash) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

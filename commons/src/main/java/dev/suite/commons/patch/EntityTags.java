package dev.suite.commons.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strong entity tags of representations, for optimistic concurrency: a client sends the tag of
 * what it last read in {@code If-Match}, and a write over anything newer is refused with 412.
 *
 * <p>The tag is a digest of the representation's JSON, so it changes exactly when what a client
 * can see changes — no version column, and the same value on every replica.
 */
public final class EntityTags {

    private EntityTags() {
    }

    /** {@code "…"}: the first 128 bits of SHA-256 of the representation as the API writes it. */
    public static String of(ObjectMapper json, Object representation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(representation));
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot tag a representation: " + e.getMessage(), e);
        }
    }

    /**
     * Passes when {@code If-Match} is absent, {@code *} or lists the current tag (strong
     * comparison, RFC 9110 section 13.1.1); otherwise a 412 problem. Call it where the resource is
     * read for the write, inside the write's transaction and row lock, so nothing changes in between.
     */
    public static void requireMatch(String ifMatch, String currentTag) {
        if (ifMatch != null && !matches(ifMatch, currentTag, false)) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                    "The resource changed since you read it (its ETag is now " + currentTag
                            + "); read it again and reapply your change.", null, null, null);
        }
    }

    /** Whether {@code If-None-Match} names the current tag (weak comparison, as RFC 9110 asks for GET). */
    public static boolean noneMatchHits(String ifNoneMatch, String currentTag) {
        return ifNoneMatch != null && matches(ifNoneMatch, currentTag, true);
    }

    static boolean matches(String header, String currentTag, boolean weak) {
        String list = header.strip();
        if (list.equals("*")) {
            return true;
        }
        for (String candidate : list.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                if (!weak) {
                    continue;
                }
                tag = tag.substring(2);
            }
            if (tag.equals(currentTag)) {
                return true;
            }
        }
        return false;
    }
}

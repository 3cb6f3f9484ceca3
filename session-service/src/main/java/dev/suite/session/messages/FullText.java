package dev.suite.session.messages;

import dev.suite.commons.problem.ProblemException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a user typed into a MySQL boolean-mode full-text query: each word required, matched
 * as a word or a word's beginning. Operators the user typed are not operators here, so a query
 * cannot be malformed.
 */
final class FullText {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+");
    private static final int MAX_WORDS = 20;
    /** InnoDB indexes no shorter word (innodb_ft_min_token_size) and none of its default stopwords. */
    private static final int MIN_LENGTH = 3;
    private static final Set<String> STOPWORDS = Set.of("a", "about", "an", "are", "as", "at", "be", "by", "com",
            "de", "en", "for", "from", "how", "i", "in", "is", "it", "la", "of", "on", "or", "that", "the", "this",
            "to", "was", "what", "when", "where", "who", "will", "with", "und", "www");

    private FullText() {
    }

    static String booleanQuery(String q) {
        List<String> terms = new ArrayList<>();
        if (q != null) {
            Matcher m = WORD.matcher(q);
            while (m.find() && terms.size() < MAX_WORDS) {
                String word = m.group();
                // A required word the index cannot hold would match nothing: leave it out.
                if (word.length() >= MIN_LENGTH && !STOPWORDS.contains(word.toLowerCase(Locale.ROOT))) {
                    terms.add("+" + word + "*");
                }
            }
        }
        if (terms.isEmpty()) {
            throw ProblemException.invalidField("q", "must contain a word of at least " + MIN_LENGTH + " letters that is not a stopword");
        }
        return String.join(" ", terms);
    }
}

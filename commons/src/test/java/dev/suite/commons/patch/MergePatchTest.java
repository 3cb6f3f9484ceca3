package dev.suite.commons.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static JsonNode patched(String target, String patch, String... writeOnly) throws Exception {
        return MergePatch.apply((ObjectNode) json(target), json(patch), Set.of(writeOnly));
    }

    /** The examples of RFC 7396 appendix A whose patch is an object. */
    @Test
    void followsTheRfcExamples() throws Exception {
        assertEquals(json("{'a':'c'}"), patched("{'a':'b'}", "{'a':'c'}"));
        assertEquals(json("{'a':'b','b':'c'}"), patched("{'a':'b'}", "{'b':'c'}"));
        assertEquals(json("{}"), patched("{'a':'b'}", "{'a':null}"));
        assertEquals(json("{'b':'c'}"), patched("{'a':'b','b':'c'}", "{'a':null}"));
        assertEquals(json("{'a':'c'}"), patched("{'a':['b']}", "{'a':'c'}"));
        assertEquals(json("{'a':['c']}"), patched("{'a':'c'}", "{'a':['c']}"));
        assertEquals(json("{'a':{'b':'d'}}"), patched("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}"));
        assertEquals(json("{'a':[1]}"), patched("{'a':[{'b':'c'}]}", "{'a':[1]}"));
        assertEquals(json("{'e':null,'a':1}"), patched("{'e':null}", "{'a':1}"));
        assertEquals(json("{'a':{'bb':{}}}"), patched("{}", "{'a':{'bb':{'ccc':null}}}"));
    }

    @Test
    void carriesWriteOnlyFieldsOverAsTheyAre() throws Exception {
        assertEquals(json("{'name':'x','api_key':null}"), patched("{'name':'x'}", "{'api_key':null}", "api_key"));
        assertEquals(json("{'env':{'A':'1','B':null}}"), patched("{}", "{'env':{'A':'1','B':null}}", "env"));
    }

    @Test
    void leavesItsArgumentsAlone() throws Exception {
        ObjectNode target = (ObjectNode) json("{'a':{'b':1}}");
        JsonNode patch = json("{'a':{'b':2}}");
        MergePatch.apply(target, patch, Set.of());
        assertEquals(json("{'a':{'b':1}}"), target);
        assertEquals(json("{'a':{'b':2}}"), patch);
    }

    @Test
    void refusesAPatchThatIsNotAnObject() throws Exception {
        ProblemException problem = assertThrows(ProblemException.class, () -> patched("{}", "[1]"));
        assertEquals("body", problem.errors().get(0).field());
    }

    @Test
    void comparesTagsAsRfc9110Says() {
        assertEquals(true, EntityTags.matches("*", "\"a\"", false));
        assertEquals(true, EntityTags.matches("\"x\", \"a\"", "\"a\"", false));
        assertEquals(false, EntityTags.matches("W/\"a\"", "\"a\"", false));
        assertEquals(true, EntityTags.matches("W/\"a\"", "\"a\"", true));
        assertEquals(false, EntityTags.matches("\"b\"", "\"a\"", true));
        assertThrows(ProblemException.class, () -> EntityTags.requireMatch("\"b\"", "\"a\""));
        EntityTags.requireMatch(null, "\"a\"");
    }

    @Test
    void tagsChangeExactlyWithTheRepresentation() throws Exception {
        String one = EntityTags.of(JSON, json("{'a':1}"));
        assertEquals(one, EntityTags.of(JSON, json("{'a':1}")));
        assertEquals(false, one.equals(EntityTags.of(JSON, json("{'a':2}"))));
        assertEquals(24, one.length());
    }
}

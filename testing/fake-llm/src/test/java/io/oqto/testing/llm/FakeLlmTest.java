package io.oqto.testing.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake's script, as a client of the OpenAI streaming API sees it. */
class FakeLlmTest {

    private static HttpResponse<String> post(FakeLlm llm, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions"))
                                .header("Authorization", "Bearer k")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void textIsStreamedInChunksThenStopUsageAndDone() throws Exception {
        try (FakeLlm llm = new FakeLlm(0)) {
            HttpResponse<String> r = post(
                    llm,
                    "{\"model\":\"fake-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}");
            assertEquals(200, r.statusCode());
            List<String> data =
                    r.body().lines().filter(l -> l.startsWith("data: ")).toList();
            assertEquals("data: [DONE]", data.get(data.size() - 1));
            StringBuilder text = new StringBuilder();
            data.stream()
                    .filter(l -> l.contains("\"content\":\""))
                    .forEach(l -> text.append(l.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1")));
            assertEquals("You said: hi there", text.toString());
            assertTrue(data.get(data.size() - 3).contains("\"finish_reason\":\"stop\""));
            assertTrue(data.get(data.size() - 2).contains("\"usage\":{\"prompt_tokens\":12"));
            assertEquals("Bearer k", llm.requests().get(0).authorization());
        }
    }

    @Test
    void thinkSendsReasoningBeforeTheText() throws Exception {
        try (FakeLlm llm = new FakeLlm(0)) {
            List<String> data = post(llm, "{\"messages\":[{\"role\":\"user\",\"content\":\"think: why\"}]}")
                    .body()
                    .lines()
                    .filter(l -> l.startsWith("data: {"))
                    .toList();
            StringBuilder order = new StringBuilder();
            for (String l : data) {
                if (l.contains("\"reasoning_content\":\"")) {
                    order.append(l.replaceAll(".*\"reasoning_content\":\"([^\"]*)\".*", "[$1]"));
                } else if (l.contains("\"content\":\"")) {
                    order.append(l.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1"));
                }
            }
            assertEquals("[Cons][ider][ing ][why]You said: why", order.toString());
        }
    }

    @Test
    void runAsksForABashToolCallAndAToolResultGetsItsText() throws Exception {
        try (FakeLlm llm = new FakeLlm(0)) {
            String call = post(
                            llm,
                            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"run: ls\"}]}]}")
                    .body();
            assertTrue(
                    call.contains("\"tool_calls\":[{\"index\":0,\"id\":\"call_")
                            && call.contains("\"name\":\"bash\",\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\""),
                    call);
            assertTrue(call.contains("\"finish_reason\":\"tool_calls\""), call);
            String after = post(
                            llm,
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"run: ls\"},{\"role\":\"tool\",\"content\":\"a.txt\"}]}")
                    .body();
            assertTrue(after.contains("\"content\":\"The \""), after);
            assertEquals(
                    500,
                    post(llm, "{\"messages\":[{\"role\":\"user\",\"content\":\"fail\"}]}")
                            .statusCode());
        }
    }
}

package io.oqto.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A scripted, deterministic stand-in for a paid LLM provider, speaking the OpenAI chat-completions API with
 * streaming ({@code POST <base>/chat/completions}, server-sent {@code chat.completion.chunk}s, then
 * {@code [DONE]}), the shape pi's {@code openai-completions} provider uses. What it answers depends on the
 * last user message:
 * <ul>
 * <li>{@code run: <command>}: a {@code bash} tool call with that command; once the tool result comes back,
 * the text {@code The command printed: <result>};</li>
 * <li>{@code think: <message>}: first the thinking {@code Considering <message>} (in {@code reasoning_content}, as
 * reasoning models served this way send it), then the text {@code You said: <message>};</li>
 * <li>{@code fail}: HTTP 500 with an OpenAI-style error body;</li>
 * <li>{@code slow}: 200 chunks, one every 50 ms (for abort tests);</li>
 * <li>{@code hang}: one chunk, then nothing for 10 minutes (for stall detection);</li>
 * <li>anything else: {@code You said: <message>}, streamed in chunks of 4 characters.</li>
 * </ul>
 * Every request is recorded. Run alone: {@code java -jar oqto-fake-llm.jar [port]}.
 */
public final class FakeLlm implements AutoCloseable {

    static {
        // Streamed answers are many small writes: without TCP_NODELAY, Nagle's algorithm meets the client's delayed
        // ACK and every answer waits ~40 ms, a delay of the double and not of what it stands for. Read once, when
        // the JDK's server is first used, so set before any server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String MODEL = "fake-model";
    static final int CHUNK = 4;

    /** One request as received: the authorization header and the body. */
    public record Request(String authorization, JsonNode body) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    public FakeLlm(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-llm");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/chat/completions", this::complete);
        server.createContext("/v1/models", this::models);
        server.start();
    }

    public static void main(String[] args) throws Exception {
        FakeLlm llm = new FakeLlm(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("fake LLM at " + llm.baseUrl());
        Thread.currentThread().join();
    }

    /** What to put in a provider's {@code baseUrl}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void models(HttpExchange ex) throws IOException {
        byte[] body = ("{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL
                        + "\",\"object\":\"model\",\"owned_by\":\"oqto\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private void complete(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body = json.readTree(ex.getRequestBody());
            requests.add(new Request(ex.getRequestHeaders().getFirst("Authorization"), body));
            JsonNode messages = body.path("messages");
            JsonNode last = messages.get(messages.size() - 1);
            String lastUser = lastUserText(messages);
            if ("tool".equals(last.path("role").asText())) {
                String result = text(last.path("content"));
                stream(
                        ex,
                        textChunks(
                                "The command printed: " + (result.length() > 200 ? result.substring(0, 200) : result)),
                        0);
            } else if (lastUser.startsWith("run: ")) {
                stream(ex, List.of(toolCall("bash", json.createObjectNode().put("command", lastUser.substring(5)))), 0);
            } else if (lastUser.startsWith("think: ")) {
                String message = lastUser.substring(7);
                List<ObjectNode> deltas = new ArrayList<>(chunks("reasoning_content", "Considering " + message));
                deltas.addAll(textChunks("You said: " + message));
                stream(ex, deltas, 0);
            } else if (lastUser.equals("fail")) {
                byte[] err =
                        "{\"error\":{\"message\":\"scripted upstream failure\",\"type\":\"server_error\",\"code\":null}}"
                                .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(500, err.length);
                ex.getResponseBody().write(err);
            } else if (lastUser.equals("hang")) {
                stream(ex, textChunks("wait"), 600_000);
            } else if (lastUser.equals("slow")) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    s.append("tick ").append(i).append(' ');
                }
                stream(ex, textChunks(s.toString()), 50);
            } else {
                stream(ex, textChunks("You said: " + lastUser), 0);
            }
        }
    }

    /** Sends the chunks as server-sent events, a stop chunk, a usage chunk and {@code [DONE]}. */
    private void stream(HttpExchange ex, List<ObjectNode> deltas, long pauseMs) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-" + ids.incrementAndGet();
        boolean toolCall = deltas.stream().anyMatch(d -> d.has("tool_calls"));
        try {
            for (int i = 0; i < deltas.size(); i++) {
                if (i == 0) {
                    deltas.get(0).put("role", "assistant");
                }
                send(out, chunk(id, deltas.get(i), null));
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
            send(out, chunk(id, json.createObjectNode(), toolCall ? "tool_calls" : "stop"));
            ObjectNode usage = chunk(id, null, null);
            usage.putObject("usage")
                    .put("prompt_tokens", 12)
                    .put("completion_tokens", deltas.size())
                    .put("total_tokens", 12 + deltas.size());
            send(out, usage);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // aborted by the client: nothing more to send
        }
    }

    private ObjectNode chunk(String id, @Nullable ObjectNode delta, @Nullable String finishReason) {
        ObjectNode c = json.createObjectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L)
                .put("model", MODEL);
        ArrayNode choices = c.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return c;
    }

    private void send(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + json.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private List<ObjectNode> textChunks(String text) {
        return chunks("content", text);
    }

    /** {@code text} in deltas of {@link #CHUNK} characters, each in {@code field}. */
    private List<ObjectNode> chunks(String field, String text) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += CHUNK) {
            out.add(json.createObjectNode().put(field, text.substring(i, Math.min(text.length(), i + CHUNK))));
        }
        return out;
    }

    private ObjectNode toolCall(String name, ObjectNode arguments) {
        ObjectNode delta = json.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls")
                .addObject()
                .put("index", 0)
                .put("id", "call_" + ids.incrementAndGet())
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments.toString());
        return delta;
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return text(messages.get(i).path("content")).strip();
            }
        }
        return "";
    }

    /** A message's text: a plain string, or the text parts of a content array. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder b = new StringBuilder();
        content.forEach(part -> b.append(part.path("text").asText("")));
        return b.toString();
    }
}

package io.oqto.hstry.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generated code against the wire facts (services-spec §1.2, §1.3), transcribed here independently of the
 * .proto: every service and method name, and every message's fields with number, type and presence
 * ({@code ?} = proto3 {@code optional}, {@code *} = repeated). A slip in the .proto shows here as a difference.
 */
class WireTest {

    private static final FileDescriptor FILE = HstryServiceProto.getDescriptor();

    private static final Map<String, String> MESSAGES = new LinkedHashMap<>();

    static {
        String idLookup = "source_id=1:string external_id=2:string readable_id=3:string conversation_id=4:string "
                + "workspace=5:string";
        MESSAGES.put(
                "SearchRequest",
                "query=1:string limit=2:int64 offset=3:int64 source=4:string workspace=5:string "
                        + "mode=6:enum after_ms=7:int64 before_ms=8:int64 role=9:string model=10:string harness=11:string "
                        + "tag=12:string");
        MESSAGES.put(
                "SearchHit",
                "message_id=1:string conversation_id=2:string message_idx=3:int32 role=4:string "
                        + "content=5:string snippet=6:string created_at_ms=7:int64 conv_created_at_ms=8:int64 "
                        + "conv_updated_at_ms=9:int64 score=10:float source_id=11:string external_id=12:string title=13:string "
                        + "workspace=14:string source_adapter=15:string source_path=16:string host=17:string "
                        + "readable_id=18:string");
        MESSAGES.put("SearchResponse", "hits=1:message*");
        MESSAGES.put(
                "Conversation",
                "source_id=1:string external_id=2:string title=3:string? created_at_ms=4:int64 "
                        + "updated_at_ms=5:int64? model=6:string? provider=7:string? workspace=8:string? tokens_in=9:int64? "
                        + "tokens_out=10:int64? cost_usd=11:double? metadata_json=12:string harness=13:string? "
                        + "readable_id=14:string? platform_id=15:string? version=16:uint64 message_count=17:uint32 "
                        + "parent_conversation_id=18:string? parent_message_idx=19:int32? fork_type=20:string?");
        MESSAGES.put(
                "Message",
                "idx=1:int32 role=2:string content=3:string parts_json=4:string "
                        + "created_at_ms=5:int64? model=6:string? tokens=7:int64? cost_usd=8:double? metadata_json=9:string "
                        + "sender_json=10:string provider=11:string? harness=12:string? client_id=13:string? id=14:string?");
        MESSAGES.put("WriteConversationRequest", "conversation=1:message messages=2:message*");
        String written = "conversation_id=1:string messages_written=2:int32 version=3:uint64 message_count=4:uint32";
        MESSAGES.put("WriteConversationResponse", written);
        MESSAGES.put("AppendMessagesResponse", written);
        MESSAGES.put(
                "AppendMessagesRequest",
                "source_id=1:string external_id=2:string messages=3:message* " + "updated_at_ms=4:int64?");
        MESSAGES.put(
                "UpdateConversationRequest",
                "source_id=1:string external_id=2:string title=3:string? "
                        + "workspace=4:string? model=5:string? provider=6:string? metadata_json=7:string? "
                        + "readable_id=8:string? harness=9:string? platform_id=10:string? parent_conversation_id=11:string? "
                        + "parent_message_idx=12:int32? fork_type=13:string?");
        MESSAGES.put("UpdateConversationResponse", "conversation_id=1:string");
        MESSAGES.put("DeleteConversationRequest", "source_id=1:string external_id=2:string");
        MESSAGES.put("DeleteConversationResponse", "conversation_id=1:string");
        MESSAGES.put(
                "UploadAttachmentRequest",
                "message_id=1:string mime_type=2:string filename=3:string? " + "data=4:bytes");
        MESSAGES.put("UploadAttachmentResponse", "attachment_id=1:string");
        MESSAGES.put(
                "ConversationSummary", "conversation=1:message message_count=2:int64 " + "first_user_message=3:string");
        MESSAGES.put("GetConversationRequest", idLookup);
        MESSAGES.put("GetConversationResponse", "conversation=1:message?");
        MESSAGES.put("GetMessagesRequest", idLookup + " limit=6:int64");
        MESSAGES.put("GetMessagesResponse", "conversation_id=1:string messages=2:message*");
        MESSAGES.put(
                "MessageEvent",
                "id=1:string conversation_id=2:string idx=3:int32 payload_json=4:string "
                        + "created_at_ms=5:int64 metadata_json=6:string");
        MESSAGES.put(
                "GetMessageEventsRequest", idLookup + " after_idx=6:int32 after_created_at_ms=7:int64 limit=8:int64");
        MESSAGES.put("GetMessageEventsResponse", "conversation_id=1:string events=2:message*");
        MESSAGES.put("ListConversationsRequest", "source_id=1:string workspace=2:string limit=3:int64 offset=4:int64");
        MESSAGES.put("ListConversationsResponse", "conversations=1:message*");
        MESSAGES.put("AddTagRequest", "conversation_id=1:string tag=2:string");
        MESSAGES.put("RemoveTagRequest", "conversation_id=1:string tag=2:string");
        MESSAGES.put("AddTagResponse", "added=1:bool");
        MESSAGES.put("RemoveTagResponse", "removed=1:bool");
    }

    @Test
    void everyMessagesFieldsByNumberTypeAndPresence() {
        assertEquals("hstry.service", FILE.getPackage());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> m : MESSAGES.entrySet()) {
            Descriptor d = FILE.findMessageTypeByName(m.getKey());
            if (d == null) {
                problems.add("no message " + m.getKey());
                continue;
            }
            String actual = d.getFields().stream().map(WireTest::describe).collect(Collectors.joining(" "));
            if (!actual.equals(m.getValue())) {
                problems.add(m.getKey() + ":\n  spec  " + m.getValue() + "\n  proto " + actual);
            }
        }
        List<String> extra = FILE.getMessageTypes().stream()
                .map(Descriptor::getName)
                .filter(n -> !MESSAGES.containsKey(n))
                .toList();
        assertEquals(List.of(), problems);
        assertEquals(List.of(), extra, "messages the spec does not list");
        assertEquals(
                "SEARCH_MODE_AUTO=0 SEARCH_MODE_NATURAL=1 SEARCH_MODE_CODE=2",
                FILE.findEnumTypeByName("SearchMode").getValues().stream()
                        .map(v -> v.getName() + "=" + v.getNumber())
                        .collect(Collectors.joining(" ")));
    }

    @Test
    void theServicesAndTheirMethodPaths() {
        assertEquals(
                List.of(
                        "hstry.service.SearchService: Search",
                        "hstry.service.WriteService: WriteConversation AppendMessages UpdateConversation "
                                + "DeleteConversation AddTag RemoveTag UploadAttachment",
                        "hstry.service.ReadService: GetConversation GetMessages GetMessageEvents ListConversations"),
                FILE.getServices().stream()
                        .map(s -> s.getFullName() + ": "
                                + s.getMethods().stream().map(m -> m.getName()).collect(Collectors.joining(" ")))
                        .toList());
        assertEquals(
                "hstry.service.WriteService/WriteConversation",
                WriteServiceGrpc.getWriteConversationMethod().getFullMethodName());
        ServiceDescriptor read = FILE.findServiceByName("ReadService");
        assertEquals(
                "GetMessagesResponse",
                read.findMethodByName("GetMessages").getOutputType().getName());
    }

    private static String describe(FieldDescriptor f) {
        String type = switch (f.getJavaType()) {
            case MESSAGE -> "message";
            case ENUM -> "enum";
            default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
        String presence = f.isRepeated()
                ? "*"
                : f.hasPresence() && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                        ? "?"
                        : f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                        && f.toProto().getProto3Optional()
                                ? "?"
                                : "";
        return f.getName() + "=" + f.getNumber() + ":" + type + presence;
    }
}

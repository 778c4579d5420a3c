package io.cleanroom.node.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.testing.AsParty;
import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary StudyStatus calls to a bank node's {@link NodeStatusService} from any caller of the
 * consortium (participants, a bank in no study, the coordinator, the operator), interleaved with
 * arbitrary lifecycle events in its {@link StudyRegistry}: every call ends with one reply or with
 * {@code NOT_FOUND} / {@code INVALID_ARGUMENT}; a node caller never sees a study it is not a
 * participant of, the coordinator sees none, the operator every one; a reply is the registry's
 * snapshot of the study.
 *
 * <p>The input is a sequence of frames: one byte naming the caller (modulo {@link #CALLERS}), one
 * byte naming the action, then a length-delimited message: for a List a {@link ListStudiesRequest},
 * for a Get a {@link GetStudyRequest}, for a registry event a {@link StudyPlan} (joined: the plan;
 * step started, progress, step done, aborted, closed: the plan's study id with its task as the
 * phase, state or reason). The registry starts with three studies of bank-a: with bank-b, with
 * bank-c, and an aborted one with both.
 */
class NodeStatusServiceFuzzTest {
  static final String NODE = "bank-a";
  static final List<String> CALLERS =
      List.of(
          "bank-a",
          "bank-b",
          "bank-c",
          "bank-d",
          ConsortiumPki.COORDINATOR,
          ConsortiumPki.OPERATOR);
  private static final Set<Status.Code> REFUSALS =
      Set.of(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT);
  private static AsParty parties;

  private static synchronized AsParty parties() throws Exception {
    if (parties == null) {
      parties = new AsParty(List.of("bank-a", "bank-b", "bank-c", "bank-d"));
    }
    return parties;
  }

  @FuzzTest(maxDuration = "60s")
  void calls(byte[] input) throws Exception {
    run(input);
  }

  /** Runs the frames; returns how many calls were answered with a reply. */
  static int run(byte[] input) throws Exception {
    AsParty as = parties();
    StudyRegistry registry = new StudyRegistry();
    registry.joined(plan("st-ab", "bank-a", "bank-b"));
    registry.joined(plan("st-ac", "bank-a", "bank-c"));
    registry.joined(plan("st-abc", "bank-a", "bank-b", "bank-c"));
    registry.aborted("st-abc", "test");
    NodeStatusService service = new NodeStatusService(NODE, registry);
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    int replies = 0;
    while (true) {
      int who = in.read();
      int action = in.read();
      if (action < 0) {
        return replies;
      }
      String caller = CALLERS.get(who % CALLERS.size());
      switch (action % 8) {
        case 0 -> {
          ListStudiesRequest request = message(in, ListStudiesRequest.parser());
          if (request == null) {
            return replies;
          }
          Recorder<ListStudiesResponse> r = new Recorder<>();
          as.run(caller, StudyStatusGrpc.getListMethod(), () -> service.list(request, r));
          ListStudiesResponse response = r.reply("List by " + caller);
          replies++;
          assertEquals(NODE, response.getParty());
          List<StudyStatusReply> expected =
              registry.studies().stream()
                  .filter(s -> maySee(caller, s))
                  .filter(s -> !request.getRunningOnly() || !ended(s))
                  .toList();
          assertEquals(expected, response.getStudiesList(), "List by " + caller);
        }
        case 1 -> {
          GetStudyRequest request = message(in, GetStudyRequest.parser());
          if (request == null) {
            return replies;
          }
          Recorder<StudyStatusReply> r = new Recorder<>();
          as.run(caller, StudyStatusGrpc.getGetMethod(), () -> service.get(request, r));
          Optional<StudyStatusReply> known =
              request.getStudyId().isEmpty()
                  ? Optional.empty()
                  : registry.study(request.getStudyId()).filter(s -> maySee(caller, s));
          if (known.isPresent()) {
            assertEquals(known.get(), r.reply("Get by " + caller));
            replies++;
          } else {
            Status refused = r.refusal("Get " + request.getStudyId() + " by " + caller);
            assertEquals(
                request.getStudyId().isEmpty()
                    ? Status.Code.INVALID_ARGUMENT
                    : Status.Code.NOT_FOUND,
                refused.getCode());
          }
        }
        default -> {
          StudyPlan p = message(in, StudyPlan.parser());
          if (p == null) {
            return replies;
          }
          String id = p.getStudyId();
          switch (action % 8) {
            case 2 -> registry.joined(p);
            case 3 -> registry.stepStarted(id, p.getTask());
            case 4 -> registry.progress(id, p.getTask(), p.getTimeoutSeconds() / 100.0);
            case 5 -> registry.stepDone(id, p.getTask());
            case 6 -> registry.aborted(id, p.getTask());
            default -> registry.closed(id, p.getTask());
          }
        }
      }
    }
  }

  /**
   * The rule, written out independently of the service: operator all, a node its own, else none.
   */
  private static boolean maySee(String caller, StudyStatusReply s) {
    if (caller.equals(ConsortiumPki.OPERATOR)) {
      return true;
    }
    if (caller.equals(ConsortiumPki.COORDINATOR)) {
      return false;
    }
    return s.getParticipantsList().contains(caller);
  }

  private static boolean ended(StudyStatusReply s) {
    return s.getState() == StudyStatusReply.State.ABORTED
        || s.getState() == StudyStatusReply.State.DESTROYED;
  }

  private static <M> M message(ByteArrayInputStream in, Parser<M> parser) {
    try {
      return parser.parseDelimitedFrom(in);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Records how a call ended: one reply then completion, or one error. */
  private static final class Recorder<T> implements StreamObserver<T> {
    private final List<T> replies = new ArrayList<>();
    private Status error;
    private boolean completed;

    @Override
    public void onNext(T value) {
      assertNull(error, "reply after an error");
      assertTrue(!completed, "reply after completion");
      replies.add(value);
    }

    @Override
    public void onError(Throwable t) {
      assertNull(error, "two errors");
      assertTrue(!completed, "error after completion");
      error = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
      assertTrue(!completed, "completed twice");
      assertNull(error, "completed after an error");
      completed = true;
    }

    /** The call's one reply; fails if the call did not end with exactly that. */
    T reply(String call) {
      assertNull(error, call + " failed: " + error);
      assertTrue(completed, call + " did not complete");
      assertEquals(1, replies.size(), call + " replies");
      return replies.get(0);
    }

    /** The call's refusal; fails if it replied, or failed otherwise. */
    Status refusal(String call) {
      assertTrue(replies.isEmpty(), call + " replied " + replies);
      assertNotNull(error, call + " ended without reply or error");
      assertTrue(REFUSALS.contains(error.getCode()), call + ": " + error);
      return error;
    }
  }

  private static void frame(ByteArrayOutputStream out, int caller, int action, Message m)
      throws IOException {
    out.write(caller);
    out.write(action);
    m.writeDelimitedTo(out);
  }

  /**
   * Lists and gets by every caller, then a new study with bank-d, a step and an abort: the answers
   * follow the visibility rule (checked in {@link #run}); the same frames are the seed corpus.
   */
  @Test
  void everyCaller_listsAndGets() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int c = 0; c < CALLERS.size(); c++) {
      frame(out, c, 0, ListStudiesRequest.getDefaultInstance());
      frame(out, c, 0, ListStudiesRequest.newBuilder().setRunningOnly(true).build());
      for (String id : List.of("st-ab", "st-ac", "st-abc", "st-nope", "")) {
        frame(out, c, 1, GetStudyRequest.newBuilder().setStudyId(id).build());
      }
    }
    frame(out, 0, 2, plan("st-ad", "bank-a", "bank-d"));
    frame(out, 0, 3, StudyPlan.newBuilder().setStudyId("st-ad").setTask("link").build());
    frame(
        out,
        0,
        4,
        StudyPlan.newBuilder().setStudyId("st-ad").setTask("link").setTimeoutSeconds(50).build());
    frame(out, 3, 1, GetStudyRequest.newBuilder().setStudyId("st-ad").build());
    frame(out, 0, 6, StudyPlan.newBuilder().setStudyId("st-ad").setTask("bank-d left").build());
    frame(out, 3, 0, ListStudiesRequest.newBuilder().setRunningOnly(true).build());
    frame(out, 5, 0, ListStudiesRequest.getDefaultInstance());
    byte[] input = out.toByteArray();
    // Replies: bank-a and the operator 2 lists + 3 gets each, bank-b and bank-c 2 + 2, bank-d and
    // the coordinator 2 lists; then bank-d's get of st-ad and the last 2 lists.
    assertEquals(5 + 5 + 4 + 4 + 2 + 2 + 3, run(input));
    Path seeds =
        Path.of("src/test/resources/io/cleanroom/node/study/NodeStatusServiceFuzzTestInputs/calls");
    Path seed = seeds.resolve("every-caller");
    if (Boolean.getBoolean("cleanroom.writeSeeds")) {
      Files.createDirectories(seeds);
      Files.write(seed, input);
    }
    assertArrayEquals(Files.readAllBytes(seed), input, "seed " + seed + " is out of date");
  }

  private static StudyPlan plan(String id, String... participants) {
    return StudyPlan.newBuilder()
        .setStudyId(id)
        .setTask("linked-risk")
        .addAllParticipants(List.of(participants))
        .build();
  }
}

package org.flashflow.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageRecordsTest {
  private static final String FP = "ABABABABABABABABABABABABABABABABABABABAB";

  @Test
  void fingerprintIsNormalisedToUpperCase() {
    ConnectToRelay c =
        new ConnectToRelay(
            1, "0123456789abcdef0123456789ABCDEF01234567", 1, 1, OptionalLong.empty());
    assertEquals("0123456789ABCDEF0123456789ABCDEF01234567", c.fp());
  }

  @Test
  void measIdBoundsAreAccepted() {
    assertEquals(0, new Go(0).measId());
    assertEquals(0xFFFF_FFFFL, new Go(Message.MAX_MEAS_ID).measId());
  }

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        bad("measId", () -> new Go(-1)),
        bad("measId", () -> new Go(0x1_0000_0000L)),
        bad("measId", () -> new ConnectToRelay(-1, FP, 1, 1, OptionalLong.empty())),
        bad("fp", () -> new ConnectToRelay(1, FP.substring(1), 1, 1, OptionalLong.empty())),
        bad("fp", () -> new ConnectToRelay(1, FP + "A", 1, 1, OptionalLong.empty())),
        bad("fp", () -> new ConnectToRelay(1, "G" + FP.substring(1), 1, 1, OptionalLong.empty())),
        // Arabic-Indic digit one: Character.digit would call it a digit
        bad(
            "fp",
            () -> new ConnectToRelay(1, "\u0661" + FP.substring(1), 1, 1, OptionalLong.empty())),
        bad("nCircs", () -> new ConnectToRelay(1, FP, 0, 1, OptionalLong.empty())),
        bad("dur", () -> new ConnectToRelay(1, FP, 1, 0, OptionalLong.empty())),
        bad("dur", () -> new ConnectToRelay(1, FP, 1, -30, OptionalLong.empty())),
        bad("bw", () -> new ConnectToRelay(1, FP, 1, 1, OptionalLong.of(0))),
        bad("code", () -> new Failure(0, OptionalLong.empty(), Optional.empty())),
        bad("measId", () -> new Failure(1, OptionalLong.of(-5), Optional.empty())),
        bad("ts", () -> new BwReport(1, Double.NaN, 0, 0)),
        bad("ts", () -> new BwReport(1, Double.POSITIVE_INFINITY, 0, 0)),
        bad("sent", () -> new BwReport(1, 1.5, -1, 0)),
        bad("recv", () -> new BwReport(1, 1.5, 0, -1)),
        bad("measId", () -> new BwReport(-1, 1.5, 0, 0)));
  }

  private static Arguments bad(String field, Executable e) {
    return Arguments.of(field, e);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidRecords")
  void invalidFieldIsRefusedNamingTheField(String field, Executable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
    assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
  }

  static Stream<Arguments> nullComponents() {
    return Stream.of(
        bad("fp", () -> new ConnectToRelay(1, null, 1, 1, OptionalLong.empty())),
        bad("bw", () -> new ConnectToRelay(1, FP, 1, 1, null)),
        bad("orig", () -> new ConnectedToRelay(null)),
        bad("measId", () -> new Failure(1, null, Optional.empty())),
        bad("extraInfo", () -> new Failure(1, OptionalLong.empty(), null)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("nullComponents")
  void nullComponentIsRefusedNamingTheField(String field, Executable construct) {
    NullPointerException e = assertThrows(NullPointerException.class, construct);
    assertEquals(field, e.getMessage());
  }

  @Test
  void unknownFailureCodesAreKeptAsIntegers() {
    Failure f = new Failure(99, OptionalLong.empty(), Optional.empty());
    assertEquals(99, f.code());
    assertEquals(Optional.empty(), FailureCode.fromWire(f.code()));
  }

  @Test
  void msgTypeFromWireKnowsEveryTagAndNothingElse() {
    for (MsgType t : MsgType.values()) {
      assertEquals(Optional.of(t), MsgType.fromWire(t.wireValue()));
    }
    assertEquals(Optional.of(MsgType.BW_REPORT), MsgType.fromWire(-289));
    assertEquals(Optional.of(MsgType.CONNECTED_TO_RELAY), MsgType.fromWire(78612));
    assertEquals(Optional.empty(), MsgType.fromWire(289));
    assertEquals(Optional.empty(), MsgType.fromWire(0));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void failureCodesRoundTripTheirWireValue(int wire) {
    assertEquals(wire, FailureCode.fromWire(wire).orElseThrow().wireValue());
  }

  @Test
  void typeMatchesTheRecord() {
    ConnectToRelay c = new ConnectToRelay(1, FP, 1, 1, OptionalLong.empty());
    assertEquals(MsgType.CONNECT_TO_RELAY, c.type());
    assertEquals(MsgType.CONNECTED_TO_RELAY, new ConnectedToRelay(c).type());
    assertEquals(MsgType.GO, new Go(1).type());
    assertEquals(MsgType.BW_REPORT, new BwReport(1, 0, 0, 0).type());
    assertEquals(MsgType.FAILURE, new Failure(1, OptionalLong.empty(), Optional.empty()).type());
  }
}

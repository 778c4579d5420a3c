package io.cleanroom.eval.explain;

/** A reason for an alert in Traditional Chinese and in English. */
public record ReasonText(String zh, String en) {

  public ReasonText {
    if (zh == null || zh.isBlank() || en == null || en.isBlank()) {
      throw new IllegalArgumentException("a reason needs Chinese and English text");
    }
  }
}

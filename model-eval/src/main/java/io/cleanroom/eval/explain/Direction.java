package io.cleanroom.eval.explain;

/** Whether an account's feature value is above ({@code HIGH}) or below ({@code LOW}) the mean. */
public enum Direction {
  HIGH,
  LOW
}

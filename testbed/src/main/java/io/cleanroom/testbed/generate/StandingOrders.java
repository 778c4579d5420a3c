package io.cleanroom.testbed.generate;

/**
 * Monthly recurring transfers (salaries, rents, family allowances), grouped by the day of the month
 * they fall due, so that a day's orders are found without scanning all of them.
 */
final class StandingOrders {
  private final int[] start;
  private final int[] from;
  private final int[] to;
  private final long[] cents;
  private final int[] second;
  private final int[] filled;

  /**
   * @param perDay how many orders fall due on each day of the month (index 1 to {@link
   *     Window#LAST_ORDER_DAY}); exactly that many are then {@link #add}ed
   */
  StandingOrders(int[] perDay) {
    start = new int[perDay.length + 1];
    for (int d = 0; d < perDay.length; d++) {
      start[d + 1] = start[d] + perDay[d];
    }
    int n = start[perDay.length];
    from = new int[n];
    to = new int[n];
    cents = new long[n];
    second = new int[n];
    filled = start.clone();
  }

  /** Adds an order due on {@code dayOfMonth}, executed at UTC second {@code secondOfDay}. */
  void add(int dayOfMonth, int from, int to, long cents, int secondOfDay) {
    int i = filled[dayOfMonth]++;
    this.from[i] = from;
    this.to[i] = to;
    this.cents[i] = cents;
    this.second[i] = secondOfDay;
  }

  /** First index of the orders due on {@code dayOfMonth}; they run up to {@link #end}. */
  int first(int dayOfMonth) {
    return start[dayOfMonth];
  }

  int end(int dayOfMonth) {
    return start[dayOfMonth + 1];
  }

  int from(int i) {
    return from[i];
  }

  int to(int i) {
    return to[i];
  }

  long cents(int i) {
    return cents[i];
  }

  int secondOfDay(int i) {
    return second[i];
  }
}

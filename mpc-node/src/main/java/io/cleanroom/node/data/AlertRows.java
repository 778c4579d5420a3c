package io.cleanroom.node.data;

import java.util.Arrays;

/** Checks the records of {@code alerts.csv} and records each listed account's level. */
final class AlertRows implements RowSink {
  private final KeyTable accounts;
  private final boolean checkAccounts;
  private final byte[] level;
  private final int[] flaggedOn;
  private final int[] lines;
  private int account;
  private int levelColumn;
  private int flagged;

  /**
   * @param accounts the bank's accounts
   * @param checkAccounts whether every account id should be in {@code accounts}; not when
   *     accounts.csv could not be read whole, to avoid one error per alert
   */
  AlertRows(KeyTable accounts, boolean checkAccounts) {
    this.accounts = accounts;
    this.checkAccounts = checkAccounts;
    this.level = new byte[accounts.size()];
    this.flaggedOn = new int[accounts.size()];
    this.lines = new int[accounts.size()];
    Arrays.fill(flaggedOn, Dates.BAD_DAY);
  }

  @Override
  public void header(RowReader file) {
    account = file.column("account_id");
    levelColumn = file.column("level");
    flagged = file.column("flagged_on");
  }

  @Override
  public void row(RowReader file) {
    String accountId = file.required(account, "account_id");
    String levelText = file.required(levelColumn, "level");
    AlertLevel parsed = levelText == null ? null : AlertLevel.parse(levelText);
    if (levelText != null && parsed == null) {
      file.problem("level", DataException.quote(levelText) + " is not alert or grey");
    }
    int day = file.date(flagged, "flagged_on", false);
    if (accountId == null) {
      return;
    }
    int a = accounts.find(0, accountId);
    if (a < 0) {
      if (checkAccounts) {
        file.problem("account_id", "no such account in " + file.nameOf(BankFile.ACCOUNTS));
      }
      return;
    }
    if (lines[a] != 0) {
      file.problem("account_id", "duplicate account_id, first on " + file.unit() + " " + lines[a]);
      return;
    }
    lines[a] = (int) Math.max(1, Math.min(file.line(), Integer.MAX_VALUE));
    level[a] = (byte) (parsed == null ? AlertLevel.NONE : parsed).ordinal();
    flaggedOn[a] = day;
  }

  /** Each account's {@link AlertLevel} ordinal. */
  byte[] levels() {
    return level;
  }

  /** Each listed account's flagging date as an epoch day, {@link Dates#BAD_DAY} if not listed. */
  int[] flaggedOn() {
    return flaggedOn;
  }
}

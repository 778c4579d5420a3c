package io.cleanroom.node.data;

/**
 * Everything a {@link BankData} holds, written out as text, so that two loads can be compared with
 * one assertion whose failure shows where they differ.
 */
final class BankDump {
  private BankDump() {}

  static String of(BankData d) {
    StringBuilder sb = new StringBuilder();
    sb.append("bank ").append(d.bankId()).append(" digest ").append(d.digest()).append('\n');
    sb.append("transactions ").append(d.transactionCount()).append('\n');
    for (int a = 0; a < d.accountCount(); a++) {
      Activity act = d.activity();
      sb.append("account ")
          .append(a)
          .append(' ')
          .append(d.accountId(a))
          .append(" customer ")
          .append(d.customerOf(a))
          .append(" opened ")
          .append(d.openedOn(a))
          .append(' ')
          .append(d.alertLevel(a))
          .append(' ')
          .append(d.flaggedOn(a))
          .append(" in ")
          .append(act.incomingCount(a))
          .append('/')
          .append(act.incomingSum(a))
          .append('/')
          .append(act.incomingCounterparties(a))
          .append(" out ")
          .append(act.outgoingCount(a))
          .append('/')
          .append(act.outgoingSum(a))
          .append('/')
          .append(act.outgoingCounterparties(a))
          .append(" cross ")
          .append(act.crossBankIncomingCount(a))
          .append('/')
          .append(act.crossBankIncomingSum(a))
          .append('/')
          .append(act.crossBankOutgoingCount(a))
          .append('/')
          .append(act.crossBankOutgoingSum(a))
          .append(" seen ")
          .append(act.firstSeen(a))
          .append('-')
          .append(act.lastSeen(a))
          .append('\n');
    }
    Customers c = d.customers();
    for (int i = 0; i < c.count(); i++) {
      sb.append("customer ")
          .append(i)
          .append(' ')
          .append(c.customerId(i))
          .append('|')
          .append(c.nationalId(i))
          .append('|')
          .append(c.email(i))
          .append('|')
          .append(c.phone(i))
          .append('|')
          .append(c.birthDate(i))
          .append('|')
          .append(c.gender(i))
          .append('|')
          .append(c.nationality(i))
          .append('|')
          .append(c.region(i))
          .append('|')
          .append(c.devices(i))
          .append('\n');
    }
    Flows f = d.flows();
    for (int e = 0; e < f.size(); e++) {
      sb.append("flow ")
          .append(f.src(e))
          .append("->")
          .append(f.dst(e))
          .append(' ')
          .append(f.amount(e))
          .append(' ')
          .append(f.transfers(e))
          .append('\n');
    }
    for (CrossBankFlows x : new CrossBankFlows[] {d.incoming(), d.outgoing()}) {
      for (int e = 0; e < x.size(); e++) {
        sb.append(x.incoming() ? "in " : "out ")
            .append(x.account(e))
            .append(' ')
            .append(x.foreignBank(e))
            .append('/')
            .append(x.foreignAccount(e))
            .append(' ')
            .append(x.amount(e))
            .append(' ')
            .append(x.transfers(e))
            .append('\n');
      }
    }
    return sb.toString();
  }
}

package io.cleanroom.eval.policy;

import java.util.List;

/** One article's verdict, the worst of its checks. */
public record ArticleResult(Article article, Verdict verdict, List<Check> checks) {

  public ArticleResult {
    checks = List.copyOf(checks);
  }

  static ArticleResult of(Article article, List<Check> checks) {
    Verdict v = Verdict.PASS;
    for (Check c : checks) {
      v = v.and(c.verdict());
    }
    return new ArticleResult(article, v, checks);
  }
}

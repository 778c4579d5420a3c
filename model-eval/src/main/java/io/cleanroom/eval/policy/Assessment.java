package io.cleanroom.eval.policy;

import java.util.List;

/** The verdict on every article; any FAIL blocks the model's release. */
public record Assessment(List<ArticleResult> articles) {

  public Assessment {
    articles = List.copyOf(articles);
  }

  /** The worst article verdict. */
  public Verdict verdict() {
    Verdict v = Verdict.PASS;
    for (ArticleResult a : articles) {
      v = v.and(a.verdict());
    }
    return v;
  }

  public boolean releaseBlocked() {
    return verdict() == Verdict.FAIL;
  }

  public ArticleResult article(Article article) {
    for (ArticleResult a : articles) {
      if (a.article() == article) {
        return a;
      }
    }
    throw new IllegalArgumentException("no result for article " + article.number());
  }
}

package io.cleanroom.eval.policy;

/**
 * The articles of the Bankers Association of the R.O.C.'s 金融機構運用人工智慧技術作業規範 that bind a jointly
 * trained fraud model (GOVERNANCE.md), with short descriptive titles.
 */
public enum Article {
  A3(3, "風險評估", "Risk-based assessment of scope"),
  A5(5, "資訊安全與個人資料保護", "Information security and personal-data protection"),
  A6(6, "公平對待", "Fair treatment"),
  A7(7, "訓練品質、驗證、監控與可解釋性", "Training quality, validation, monitoring, explainability"),
  A8(8, "資料處理、儲存及傳輸之隱私與安全", "Privacy and security of processing, storage, transmission"),
  A10(10, "技術文件與軌跡紀錄", "Technical documentation and audit trail"),
  A12(12, "上線前評估", "Pre-launch assessment"),
  A13(13, "定期檢視與獨立第三方評估", "Periodic review and independent assessment"),
  A15(15, "內部控制與稽核", "Internal control and audit");

  private final int number;
  private final String titleZh;
  private final String titleEn;

  Article(int number, String titleZh, String titleEn) {
    this.number = number;
    this.titleZh = titleZh;
    this.titleEn = titleEn;
  }

  public int number() {
    return number;
  }

  public String titleZh() {
    return titleZh;
  }

  public String titleEn() {
    return titleEn;
  }
}

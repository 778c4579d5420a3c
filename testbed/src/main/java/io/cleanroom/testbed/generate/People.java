package io.cleanroom.testbed.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic people of one dataset. A person is a pure function of (seed, number), so someone
 * who is a customer of two banks is written identically at both without keeping anyone in memory.
 *
 * <p>National id, email and phone number are one-to-one functions of the person number, so no two
 * people share one by accident and every identity link between banks is one the generator planted.
 */
final class People {
  private static final long ID_SPACE = 26L * 10_000_000L;
  private static final long EIGHT_DIGITS = 100_000_000L;

  private static final String[] NATIONALITIES = {"TW", "VN", "ID", "PH", "TH"};
  private static final int[] NATIONALITY_WEIGHTS = {90, 4, 3, 2, 1};
  private static final String[][] NAMES = {
    {"chen", "lin", "huang", "chang", "lee", "wang", "wu", "liu", "tsai", "yang", "hsu", "cheng"},
    {"nguyen", "tran", "le", "pham", "hoang", "vu"},
    {"putri", "sari", "budi", "agus", "dewi", "wati"},
    {"santos", "reyes", "cruz", "garcia", "bautista", "ramos"},
    {"somchai", "suda", "malee", "niran", "kanya", "arthit"}
  };
  // Reserved for examples (RFC 2606): synthetic addresses can never reach a real mailbox.
  private static final String[] DOMAINS = {"example.com", "example.net", "example.org"};
  private static final String[] REGIONS = {
    "New Taipei", "Taichung", "Kaohsiung", "Taipei", "Taoyuan", "Tainan", "Changhua", "Pingtung",
    "Yunlin", "Hsinchu County", "Miaoli", "Chiayi County", "Nantou", "Yilan", "Hsinchu", "Keelung",
    "Hualien", "Chiayi", "Taitung", "Kinmen", "Penghu", "Lienchiang"
  };
  // Roughly proportional to population, in ten-thousands.
  private static final int[] REGION_WEIGHTS = {
    400, 280, 273, 250, 228, 186, 123, 80, 67, 58, 53, 48, 48, 45, 45, 36, 32, 26, 22, 14, 10, 1
  };
  private static final int REGION_TOTAL = 2325;

  /** Largest person number for which ids stay unique (the phone and email spaces). */
  static final int MAX_PEOPLE = (int) EIGHT_DIGITS;

  private final long seed;
  private final Scatter ids;
  private final Scatter emails;
  private final Scatter phones;

  People(long seed) {
    this.seed = seed;
    this.ids = new Scatter(seed, 1, ID_SPACE);
    this.emails = new Scatter(seed, 2, EIGHT_DIGITS);
    this.phones = new Scatter(seed, 3, EIGHT_DIGITS);
  }

  /** The region names people live in, most populous first. */
  static List<String> regions() {
    return List.of(REGIONS);
  }

  /**
   * The {@code k}-th phone number and e-mail address owned by nobody in the dataset, both always
   * present. They belong to person numbers counted down from {@link #MAX_PEOPLE}, which no customer
   * is given; mule herders register their recruits' accounts with such contacts.
   */
  Contact outsider(int k) {
    int number = MAX_PEOPLE - 1 - k;
    String phone = pad(new StringBuilder("09"), phones.apply(number), 8).toString();
    long h = Draw.mix(seed ^ Draw.mix(-1L - number));
    StringBuilder email =
        new StringBuilder(NAMES[0][(int) Long.remainderUnsigned(h, NAMES[0].length)]);
    pad(email.append('.'), emails.apply(number), 8).append('@');
    email.append(DOMAINS[(int) Long.remainderUnsigned(h >>> 20, DOMAINS.length)]);
    return new Contact(phone, email.toString());
  }

  /** A phone number and an e-mail address. */
  record Contact(String phone, String email) {}

  /** Person number {@code number} (0 or more, below {@link #MAX_PEOPLE}). */
  Person get(int number) {
    SplittableRandom r = new SplittableRandom(Draw.mix(seed ^ Draw.mix(number)));
    int roll = r.nextInt(100);
    char gender = roll < 49 ? 'F' : roll < 98 ? 'M' : 'X';
    int nat = Draw.weighted(r, NATIONALITY_WEIGHTS, 100);
    boolean male = gender == 'M' || (gender == 'X' && r.nextBoolean());
    char sexDigit = nat == 0 ? (male ? '1' : '2') : (male ? '8' : '9');
    long id = ids.apply(number);
    StringBuilder nationalId =
        new StringBuilder(10).append((char) ('A' + id / 10_000_000L)).append(sexDigit);
    pad(nationalId, id % 10_000_000L, 7);
    nationalId.append(Person.checkDigit(nationalId.toString()));
    long ageDays = 18L * 365 + r.nextInt(67 * 365);
    String birthDate = Generator.START.minusDays(ageDays).toString();
    String region =
        r.nextInt(100) < 3 ? "" : REGIONS[Draw.weighted(r, REGION_WEIGHTS, REGION_TOTAL)];
    String email = "";
    if (r.nextInt(100) >= 12) {
      String[] names = NAMES[nat];
      StringBuilder sb = new StringBuilder(names[r.nextInt(names.length)]).append('.');
      pad(sb, emails.apply(number), 8);
      email = sb.append('@').append(DOMAINS[r.nextInt(DOMAINS.length)]).toString();
    }
    String phone = "";
    if (r.nextInt(100) >= 4) {
      phone = pad(new StringBuilder("09"), phones.apply(number), 8).toString();
    }
    int devices = r.nextInt(100) < 60 ? (r.nextInt(5) == 0 ? 2 : 1) : 0;
    return new Person(
        nationalId.toString(),
        email,
        phone,
        birthDate,
        gender,
        NATIONALITIES[nat],
        region,
        devices);
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    String s = Long.toString(v);
    return sb.append("0".repeat(width - s.length())).append(s);
  }

  /**
   * {@code n -> (n * step + offset) mod space}: one-to-one because step is coprime with space. A
   * step near 0.618 of the space (Fibonacci hashing) scatters consecutive people, so their ids do
   * not visibly count up.
   */
  private static final class Scatter {
    private final long space;
    private final long step;
    private final long offset;

    Scatter(long seed, long domain, long space) {
      this.space = space;
      this.offset = Math.floorMod(Draw.mix(seed + domain), space);
      long s = (long) (space * 0.6180339887) + Math.floorMod(Draw.mix(seed - domain), 1000L);
      while (gcd(s, space) != 1) {
        s++;
      }
      this.step = s;
    }

    long apply(int n) {
      return Math.floorMod(n * step + offset, space);
    }

    private static long gcd(long a, long b) {
      return b == 0 ? a : gcd(b, a % b);
    }
  }
}

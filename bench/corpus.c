/*
 * corpus.c - writes the benchmark's reports (see corpus.h).
 *
 * Template reports follow the 2021 format.  Row and column labels come
 * from the library's cell listing (gk_cell_get()), so they are the ones
 * the parser knows; the table furniture (第二十条 captions, the 勾稽 note,
 * the applicant header) and the prose are written here, as a test
 * fixture would.  Numbers are drawn so that every identity of the format
 * holds and the prose agrees with the tables: the benchmark times the
 * normal path of a clean report, not the error paths.
 *
 * Reports derived from ../shared keep the real text and its quirks
 * (glued cells, wrapped labels, GBK, Markdown) and change only the body's
 * name and the years, so that one real report becomes many distinct
 * bodies without becoming a different kind of document.
 */
#include "corpus.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gongkai.h"

/* ---------------------------------------------------------- utilities */

static uint64_t next(uint64_t *s) {
  uint64_t x = *s; /* xorshift64* */
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 2685821657736338717ull;
}

static uint32_t rnd(uint64_t *s, uint32_t n) {
  return n ? (uint32_t)(next(s) % n) : 0;
}

#define PICK(s, arr) ((arr)[rnd((s), sizeof(arr) / sizeof((arr)[0]))])

typedef struct sb {
  char *p;
  size_t len, cap;
  bool failed;
} sb;

static void sb_add(sb *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 16384;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->failed = true;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void sb_puts(sb *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_printf(sb *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void sb_printf(sb *b, const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0)
    sb_add(b, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "gk_bench: %s: %s\n", path, strerror(errno));
    return -1;
  }
  bool ok = fwrite(data, 1, len, f) == len;
  if (fclose(f) != 0 || !ok) {
    fprintf(stderr, "gk_bench: %s: write failed\n", path);
    return -1;
  }
  return 0;
}

/* ----------------------------------------------------------- the names */

static const char *const counties[] = {
    "云岭县", "青川县", "石门县", "白水县", "丰宁县", "永和县", "安平县",
    "兴隆县", "定远县", "长宁县", "清河县", "宁远县", "平山县", "和顺县",
    "泰来县", "崇义县", "江华县", "通道县", "双峰县", "临泽县"};
static const char *const name_chars[] = {
    "东", "西", "南", "北", "中", "上", "下", "大", "小", "新", "金", "石",
    "竹", "柳", "桃", "梅", "松", "柏", "青", "白", "黄", "红", "龙", "凤",
    "马", "山", "水", "河", "溪", "坪", "坝", "岭", "峰", "湾", "桥", "庄",
    "店", "营", "寨", "安", "平", "和", "兴", "丰", "宁", "花", "林", "田"};
static const char *const township_kinds[] = {"镇", "镇", "镇", "乡", "街道"};
static const char *const departments[] = {
    "教育局",           "财政局",
    "民政局",           "自然资源局",
    "住房和城乡建设局", "卫生健康局",
    "市场监督管理局",   "交通运输局",
    "农业农村局",       "人力资源和社会保障局",
    "水利局",           "文化广电旅游局"};

typedef enum { BODY_TOWNSHIP, BODY_DEPARTMENT, BODY_COUNTY } body_kind;

typedef struct body {
  body_kind kind;
  char county[32];
  char name[96];    /* 白沙镇, 教育局, or the county */
  char core[160];   /* county and name, without 人民政府 */
  char agency[192]; /* as signed */
} body;

static void make_body(uint64_t *s, body *b) {
  unsigned k = rnd(s, 10);
  b->kind = k < 7 ? BODY_TOWNSHIP : k < 9 ? BODY_DEPARTMENT : BODY_COUNTY;
  snprintf(b->county, sizeof b->county, "%s", PICK(s, counties));
  switch (b->kind) {
  case BODY_TOWNSHIP: {
    const char *kind = PICK(s, township_kinds);
    snprintf(b->name, sizeof b->name, "%s%s%s", PICK(s, name_chars),
             PICK(s, name_chars), kind);
    snprintf(b->core, sizeof b->core, "%s%s", b->county, b->name);
    if (strcmp(kind, "街道") == 0)
      snprintf(b->agency, sizeof b->agency, "%s办事处", b->core);
    else
      snprintf(b->agency, sizeof b->agency, "%s人民政府", b->core);
    break;
  }
  case BODY_DEPARTMENT:
    snprintf(b->name, sizeof b->name, "%s", PICK(s, departments));
    snprintf(b->core, sizeof b->core, "%s%s", b->county, b->name);
    snprintf(b->agency, sizeof b->agency, "%s", b->core);
    break;
  case BODY_COUNTY:
    snprintf(b->name, sizeof b->name, "%s", b->county);
    snprintf(b->core, sizeof b->core, "%s", b->county);
    snprintf(b->agency, sizeof b->agency, "%s人民政府", b->county);
    break;
  }
}

/* ---------------------------------------------------------- the numbers */

/* The 2021 table 3 rows in the library's order, and their labels. */
#define T3_ROWS 25
#define T3_COLS 7

typedef struct labels {
  const char *t3_row[T3_ROWS];
  const char *t3_group[T3_ROWS];
  const char *t3_key[T3_ROWS];
  const char *t3_col[T3_COLS];
  const char *t2_row[6]; /* rules, normative_documents, licensing, ... */
  const char *t2_col[6][3];
  const char *t4_row[3];
  const char *t4_group[3];
  const char *t4_col[5];
} labels;

static int load_labels(labels *l) {
  memset(l, 0, sizeof *l);
  gk_cell_info c;
  for (size_t i = 0; i < gk_cell_count(GK_EDITION_2021); i++) {
    if (gk_cell_get(GK_EDITION_2021, i, &c) != GK_OK)
      return -1;
    if (c.part == 3 && c.row_index < T3_ROWS && c.column_index < T3_COLS) {
      l->t3_row[c.row_index] = c.row_label;
      l->t3_group[c.row_index] = c.group_label;
      l->t3_key[c.row_index] = c.row;
      l->t3_col[c.column_index] = c.column_label;
    } else if (c.part == 2 && c.row_index < 6 && c.column_index < 3) {
      l->t2_row[c.row_index] = c.row_label;
      l->t2_col[c.row_index][c.column_index] = c.column_label;
    } else if (c.part == 4 && c.row_index < 3 && c.column_index < 5) {
      l->t4_row[c.row_index] = c.row_label;
      l->t4_group[c.row_index] = c.group_label;
      l->t4_col[c.column_index] = c.column_label;
    }
  }
  for (int r = 0; r < T3_ROWS; r++)
    if (!l->t3_row[r] || !l->t3_key[r])
      return -1;
  return 0;
}

static int row_of(const labels *l, const char *key) {
  for (int r = 0; r < T3_ROWS; r++)
    if (strcmp(l->t3_key[r], key) == 0)
      return r;
  return -1;
}

typedef struct numbers {
  int docs[3]; /* normative documents: issued, repealed, in force */
  int t2[4];   /* licensing, punishment, coercion; fee in 0.01 万元 */
  int t3[T3_ROWS][T3_COLS];
  int t4[3][5];
  int published; /* items published proactively */
} numbers;

static void make_numbers(uint64_t *s, const labels *l, body_kind kind,
                         numbers *n) {
  memset(n, 0, sizeof *n);
  int scale = kind == BODY_TOWNSHIP ? 1 : kind == BODY_DEPARTMENT ? 4 : 10;
  n->docs[0] = (int)rnd(s, 3);
  n->docs[1] = (int)rnd(s, 2);
  n->docs[2] = n->docs[0] + (int)rnd(s, 12);
  if (n->docs[2] < n->docs[1])
    n->docs[2] = n->docs[1];
  n->t2[0] = (int)rnd(s, (uint32_t)(40 * scale));
  n->t2[1] = (int)rnd(s, (uint32_t)(10 * scale));
  n->t2[2] = (int)rnd(s, 3);
  n->t2[3] = rnd(s, 8) == 0 ? (int)rnd(s, 500) + 1 : 0;
  n->published = 60 + (int)rnd(s, (uint32_t)(300 * scale));

  int received = row_of(l, "received"), carried = row_of(l, "carried_over");
  int total = row_of(l, "processed_total"), fwd = row_of(l, "carried_forward");
  /* The results rows lie between carried_over and processed_total. */
  bool quiet = rnd(s, 4) == 0; /* a quarter of bodies had no application */
  for (int c = 0; c < T3_COLS - 1; c++) {
    int max = c == 0 ? 12 * scale : c == 1 ? 2 * scale : 1;
    int in = quiet ? 0 : (int)rnd(s, (uint32_t)max + 1);
    if (c >= 2 && rnd(s, 5) != 0)
      in = 0;
    int co = quiet || rnd(s, 3) ? 0 : (int)rnd(s, 3);
    int fw = in + co > 0 && rnd(s, 3) == 0 ? (int)rnd(s, (uint32_t)in + co) : 0;
    n->t3[received][c] = in;
    n->t3[carried][c] = co;
    n->t3[fwd][c] = fw;
    int done = in + co - fw;
    n->t3[total][c] = done;
    /* Most go to 予以公开; the rest to a few usual results. */
    static const char *const usual[] = {
        "partially_granted",  "unavailable_not_held", "unavailable_unclear",
        "declined_duplicate", "declined_complaint",   "withheld_process",
        "other_misc"};
    while (done > 0) {
      int r = rnd(s, 3) ? row_of(l, "granted") : row_of(l, PICK(s, usual));
      int take = 1 + (int)rnd(s, (uint32_t)done);
      n->t3[r][c] += take;
      done -= take;
    }
  }
  for (int r = 0; r < T3_ROWS; r++) {
    int sum = 0;
    for (int c = 0; c < T3_COLS - 1; c++)
      sum += n->t3[r][c];
    n->t3[r][T3_COLS - 1] = sum;
  }
  for (int b = 0; b < 3; b++) {
    int sum = 0;
    for (int c = 0; c < 4; c++) {
      int v = b == 0 && rnd(s, 3) == 0 ? (int)rnd(s, (uint32_t)scale + 1)
              : rnd(s, 8) == 0         ? 1
                                       : 0;
      n->t4[b][c] = v;
      sum += v;
    }
    n->t4[b][4] = sum;
  }
}

/* -------------------------------------------------------------- prose */

static const char *const platform[] = {
    ("依托县政府门户网站乡镇专栏，规范设置机构职能、法规文件、财政信息等栏目，"
     "全年维护更新栏目%d个。"),
    ("在便民服务中心和各村（社区）设置政务公开栏，与门户网站同步更新，全年更新"
     "公开栏%d次。"),
    "利用政务新媒体发布政策解读和办事指南%d条，及时回应群众关切。",
    "开展政府网站和政务新媒体自查，整改错链、空白栏目等问题%d个。"};
static const char *const management[] = {
    "落实信息发布“先审后发”制度，全年审核拟公开信息%d条。",
    ("建立政府信息公开保密审查机制，明确经办人、分管领导两级审核，全年审核%d条"
     "信息。"),
    "对照基层政务公开标准目录，梳理公开事项%d项，动态调整公开内容。",
    "组织开展政务公开业务培训%d次，提升工作人员的公开意识和业务能力。"};
static const char *const supervision[] = {
    ("将政府信息公开工作纳入年度工作考核，开展社会评议%d次，全年未发生责任追究"
     "情形。"),
    ("主动接受社会监督，设立意见箱和监督电话，全年收集意见建议%d条，均已办理"
     "反馈。"),
    "定期开展政务公开工作自查，发现并整改问题%d个，全年未发生责任追究情形。"};
static const char *const problems[] = {
    "一是部分村的公开栏更新不及时，个别内容滞后于网站，群众查阅不便。",
    ("二是政策解读形式单一，图解、视频解读较少，解读内容与群众关切结合不够紧密"
     "。"),
    ("三是基层工作人员业务能力参差不齐，新进人员对条例理解不深，信息发布前审核"
     "不够细致。"),
    "一是依申请公开答复文书规范性有待提高，告知救济途径的表述不统一。",
    "二是主动公开的深度和广度还不够，部分重点领域信息公开不够及时、全面。",
    "一是政务新媒体内容更新频率不高，互动回应不够及时。"};
static const char *const improvements[] = {
    ("下一步，将建立信息员月报制度，按月核对公开栏与网站内容，每季度至少制作1期"
     "图解类政策解读。"),
    ("下一步，将组织答复文书集中评查，统一文书格式，分批开展业务轮训，确保信息"
     "员"
     "全年参训不少于2次。"),
    ("下一步，将围绕重点领域细化公开清单，压实各部门公开责任，提升公开质量和时"
     "效"
     "。"),
    ("下一步，将加强政务新媒体管理，建立信息发布和回应联动机制，及时回应社会关"
     "切"
     "。")};
static const char *const others[] = {
    "本年度未收取信息处理费。",
    "本年度未收取信息处理费。本年度无人大代表建议和政协提案办理结果公开事项。",
    ("依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。全年共办"
     "理"
     "人大代表建议%d件、政协提案%d件，办理结果均已公开。")};

static void prose_part1(uint64_t *s, sb *b, const body *bd, int year,
                        const numbers *n, const labels *l) {
  int received = row_of(l, "received"), carried = row_of(l, "carried_over");
  int total = row_of(l, "processed_total"), fwd = row_of(l, "carried_forward");
  sb_printf(b,
            "（一）主动公开\n\n%d年，%s坚持以公开为常态、不公开为例外，"
            "主动公开政府信息%d条。全年制发行政规范性文件%d件，废止%d件，"
            "现行有效%d件。\n\n",
            year, bd->name, n->published, n->docs[0], n->docs[1], n->docs[2]);
  int in = n->t3[received][T3_COLS - 1], co = n->t3[carried][T3_COLS - 1];
  int done = n->t3[total][T3_COLS - 1], fw = n->t3[fwd][T3_COLS - 1];
  if (in + co == 0)
    sb_printf(b, "（二）依申请公开\n\n本年度未收到政府信息公开申请。\n\n");
  else
    sb_printf(
        b,
        "（二）依申请公开\n\n全年共收到政府信息公开申请%d件，上年结转%d件，"
        "办结%d件，结转下年度继续办理%d件。\n\n",
        in, co, done, fw);
  sb_printf(b, "（三）政府信息管理\n\n");
  sb_printf(b, PICK(s, management), 20 + (int)rnd(s, 200));
  sb_printf(b, "\n\n（四）政府信息公开平台建设\n\n");
  sb_printf(b, PICK(s, platform), 3 + (int)rnd(s, 40));
  sb_printf(b, "\n\n（五）监督保障\n\n");
  sb_printf(b, PICK(s, supervision), 1 + (int)rnd(s, 6));
  sb_puts(b, "\n\n");
}

/* -------------------------------------------------------------- layouts */

typedef enum { LAYOUT_TABS = 0, LAYOUT_SPACES, LAYOUT_MARKDOWN } layout;

/* Cells of one table line: separators per layout. */
typedef struct line {
  sb *b;
  layout lay;
  int cells;
} line;

static void cell(line *ln, const char *s) {
  if (ln->lay == LAYOUT_SPACES && !*s)
    return; /* PDF text has no empty cells: only the words */
  if (ln->lay == LAYOUT_MARKDOWN)
    sb_puts(ln->b, ln->cells ? " | " : "| ");
  else if (ln->cells)
    sb_puts(ln->b, ln->lay == LAYOUT_TABS ? "\t" : " ");
  sb_puts(ln->b, s);
  ln->cells++;
}

static void cell_int(line *ln, int v) {
  char buf[16];
  snprintf(buf, sizeof buf, "%d", v);
  cell(ln, buf);
}

static void end(line *ln) {
  if (ln->lay == LAYOUT_MARKDOWN)
    sb_puts(ln->b, " |");
  sb_puts(ln->b, ln->lay == LAYOUT_SPACES ? "\n\n" : "\n");
  ln->cells = 0;
}

/* A Markdown table's separator row after its header. */
static void md_sep(sb *b, layout lay, int cols) {
  if (lay != LAYOUT_MARKDOWN)
    return;
  sb_puts(b, "|");
  for (int i = 0; i < cols; i++)
    sb_puts(b, "---|");
  sb_puts(b, "\n");
}

static void heading(sb *b, layout lay, int level, const char *text) {
  if (lay == LAYOUT_MARKDOWN)
    sb_printf(b, "%s %s\n\n",
              level == 1   ? "#"
              : level == 2 ? "##"
                           : "###",
              text);
  else
    sb_printf(b, "%s\n\n", text);
}

static void table2(sb *b, layout lay, const labels *l, const numbers *n) {
  static const char *const captions[] = {
      "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项",
      "第二十条第（八）项"};
  line ln = {b, lay, 0};
  heading(b, lay, 3, captions[0]);
  cell(&ln, "信息内容");
  for (int c = 0; c < 3; c++)
    cell(&ln, l->t2_col[0][c]);
  end(&ln);
  md_sep(b, lay, 4);
  cell(&ln, l->t2_row[0]);
  for (int c = 0; c < 3; c++)
    cell_int(&ln, 0);
  end(&ln);
  cell(&ln, l->t2_row[1]);
  for (int c = 0; c < 3; c++)
    cell_int(&ln, n->docs[c]);
  end(&ln);
  if (lay != LAYOUT_SPACES)
    sb_puts(b, "\n");
  /* 行政许可 (row 2); 处罚, 强制 (3, 4); 收费 (5). */
  static const int first[] = {2, 3, 5}, last[] = {2, 4, 5};
  for (int k = 0; k < 3; k++) {
    heading(b, lay, 3, captions[k + 1]);
    cell(&ln, "信息内容");
    cell(&ln, l->t2_col[first[k]][0]);
    end(&ln);
    md_sep(b, lay, 2);
    for (int r = first[k]; r <= last[k]; r++) {
      cell(&ln, l->t2_row[r]);
      if (r == 5) {
        char fee[24];
        snprintf(fee, sizeof fee, n->t2[3] ? "%d.%02d" : "0", n->t2[3] / 100,
                 n->t2[3] % 100);
        cell(&ln, fee);
      } else {
        cell_int(&ln, n->t2[r - 2]);
      }
      end(&ln);
    }
    if (lay != LAYOUT_SPACES)
      sb_puts(b, "\n");
  }
}

static void table3(sb *b, layout lay, const labels *l, const numbers *n) {
  line ln = {b, lay, 0};
  bool tabs = lay != LAYOUT_SPACES;
  /* The three header lines. */
  cell(&ln,
       "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
  if (tabs) {
    cell(&ln, "");
    cell(&ln, "");
  }
  cell(&ln, "申请人情况");
  if (tabs)
    for (int c = 0; c < 6; c++)
      cell(&ln, "");
  end(&ln);
  md_sep(b, lay, 10);
  if (tabs)
    for (int c = 0; c < 3; c++)
      cell(&ln, "");
  cell(&ln, l->t3_col[0]);
  cell(&ln, "法人或其他组织");
  if (tabs)
    for (int c = 0; c < 4; c++)
      cell(&ln, "");
  cell(&ln, l->t3_col[6]);
  end(&ln);
  if (tabs)
    for (int c = 0; c < 4; c++)
      cell(&ln, "");
  for (int c = 1; c < 6; c++)
    cell(&ln, l->t3_col[c]);
  if (tabs)
    cell(&ln, "");
  end(&ln);
  int granted = row_of(l, "granted");
  for (int r = 0; r < T3_ROWS; r++) {
    const char *g = l->t3_group[r];
    bool first_of_group = g && (r == 0 || !l->t3_group[r - 1] ||
                                strcmp(l->t3_group[r - 1], g) != 0);
    bool top = strncmp(l->t3_row[r], "一、", 6) == 0 ||
               strncmp(l->t3_row[r], "二、", 6) == 0 ||
               strncmp(l->t3_row[r], "四、", 6) == 0;
    if (!tabs && r == granted)
      sb_puts(b, "三、本年度办理结果\n\n");
    if (top) {
      cell(&ln, l->t3_row[r]);
      if (tabs) {
        cell(&ln, "");
        cell(&ln, "");
      }
    } else if (g) {
      if (tabs)
        cell(&ln, "");
      cell(&ln, first_of_group ? g : "");
      cell(&ln, l->t3_row[r]);
    } else {
      if (tabs)
        cell(&ln, r == granted ? "三、本年度办理结果" : "");
      cell(&ln, l->t3_row[r]);
      if (tabs)
        cell(&ln, "");
    }
    for (int c = 0; c < T3_COLS; c++)
      cell_int(&ln, n->t3[r][c]);
    end(&ln);
  }
  sb_puts(b, "\n");
}

static void table4(sb *b, layout lay, const labels *l, const numbers *n) {
  line ln = {b, lay, 0};
  bool tabs = lay != LAYOUT_SPACES;
  cell(&ln, l->t4_row[0]);
  if (tabs)
    for (int c = 0; c < 4; c++)
      cell(&ln, "");
  cell(&ln, l->t4_group[1] ? l->t4_group[1] : "行政诉讼");
  if (tabs)
    for (int c = 0; c < 9; c++)
      cell(&ln, "");
  end(&ln);
  md_sep(b, lay, 15);
  for (int c = 0; c < 5; c++)
    cell(&ln, l->t4_col[c]);
  cell(&ln, l->t4_row[1]);
  if (tabs)
    for (int c = 0; c < 4; c++)
      cell(&ln, "");
  cell(&ln, l->t4_row[2]);
  if (tabs)
    for (int c = 0; c < 4; c++)
      cell(&ln, "");
  end(&ln);
  if (tabs)
    for (int c = 0; c < 5; c++)
      cell(&ln, "");
  for (int k = 0; k < 2; k++)
    for (int c = 0; c < 5; c++)
      cell(&ln, l->t4_col[c]);
  end(&ln);
  for (int blk = 0; blk < 3; blk++)
    for (int c = 0; c < 5; c++)
      cell_int(&ln, n->t4[blk][c]);
  end(&ln);
  sb_puts(b, "\n");
}

static void template_report(uint64_t *s, const labels *l, layout lay, sb *b) {
  body bd;
  make_body(s, &bd);
  int year = 2020 + (int)rnd(s, 5);
  numbers n;
  make_numbers(s, l, bd.kind, &n);
  char title[256];
  snprintf(title, sizeof title, "%s%d年政府信息公开工作年度报告",
           bd.kind == BODY_COUNTY ? bd.county : bd.core, year);
  heading(b, lay, 1, title);
  sb_printf(b,
            "本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为%d年1"
            "月1日至12月31日。\n\n",
            year);
  heading(b, lay, 2, "一、总体情况");
  prose_part1(s, b, &bd, year, &n, l);
  heading(b, lay, 2, "二、主动公开政府信息情况");
  table2(b, lay, l, &n);
  heading(b, lay, 2, "三、收到和处理政府信息公开申请情况");
  table3(b, lay, l, &n);
  heading(b, lay, 2, "四、政府信息公开行政复议、行政诉讼情况");
  table4(b, lay, l, &n);
  heading(b, lay, 2, "五、存在的主要问题及改进情况");
  unsigned np = 2 + rnd(s, 2);
  for (unsigned k = 0; k < np; k++)
    sb_puts(
        b,
        problems[(k * 2 + rnd(s, 2)) % (sizeof problems / sizeof problems[0])]);
  sb_puts(b, "\n\n");
  sb_puts(b, PICK(s, improvements));
  sb_puts(b, "\n\n");
  heading(b, lay, 2, "六、其他需要报告的事项");
  sb_printf(b, PICK(s, others), (int)rnd(s, 9), (int)rnd(s, 9));
  sb_printf(b, "\n\n%s\n%d年1月%d日\n", bd.agency, year + 1,
            5 + (int)rnd(s, 20));
}

/* ---------------------------------------------------- from ../shared */

typedef struct source {
  char *data;
  size_t len;
  char *core;   /* the body's name without 人民政府, as the text has it */
  char *short_; /* without the county before it, or NULL */
} source;

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  sb b = {0};
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    sb_add(&b, buf, n);
  fclose(f);
  if (b.failed) {
    free(b.p);
    return NULL;
  }
  *len = b.len;
  return b.p;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return m < n && memcmp(s + n - m, suffix, m) == 0;
}

/* Adds the readable text reports of a folder (not PDFs: the benchmark
 * times those apart). */
static void add_sources(const char *dir, source **v, size_t *n, size_t *cap) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  char **names = NULL;
  size_t nn = 0, ncap = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (nn == ncap) {
      ncap = ncap ? ncap * 2 : 64;
      char **p = realloc(names, ncap * sizeof *p);
      if (!p)
        break;
      names = p;
    }
    names[nn++] = strdup(e->d_name);
  }
  closedir(d);
  for (size_t i = 0; i < nn; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    free(names[i]);
    gk_report *r = NULL;
    if (gk_read_file(path, NULL, &r, NULL) != GK_OK)
      continue;
    gk_meta m;
    gk_report_meta(r, &m);
    bool keep = strcmp(m.source_format, "pdf") != 0 && m.source_bytes > 2000;
    source src = {0};
    if (keep && (src.data = read_all(path, &src.len)) != NULL) {
      if (m.agency) {
        char core[512];
        snprintf(core, sizeof core, "%s", m.agency);
        if (ends_with(core, "人民政府"))
          core[strlen(core) - strlen("人民政府")] = '\0';
        src.core = strdup(core);
        const char *cut = strstr(core, "县");
        if (!cut)
          cut = strstr(core, "区");
        if (cut && cut[3] && strlen(cut + 3) >= 6)
          src.short_ = strdup(cut + 3);
      }
      if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        source *p = realloc(*v, *cap * sizeof *p);
        if (!p) {
          free(src.data);
          free(src.core);
          free(src.short_);
          gk_report_free(r);
          break;
        }
        *v = p;
      }
      (*v)[(*n)++] = src;
    }
    gk_report_free(r);
  }
  free(names);
}

/* The first `from` (fl bytes) in len bytes of text, or NULL. */
static const char *find(const char *text, size_t len, const char *from,
                        size_t fl) {
  for (const char *p = text; fl && (size_t)(p - text) + fl <= len; p++) {
    p = memchr(p, from[0], len - fl + 1 - (size_t)(p - text));
    if (!p)
      return NULL;
    if (memcmp(p, from, fl) == 0)
      return p;
  }
  return NULL;
}

/* Appends `text` with every `from` replaced by `to`. */
static void replace_all(sb *out, const char *text, size_t len, const char *from,
                        const char *to) {
  size_t fl = from ? strlen(from) : 0;
  size_t i = 0;
  while (i < len) {
    const char *hit = find(text + i, len - i, from, fl);
    if (!hit) {
      sb_add(out, text + i, len - i);
      break;
    }
    sb_add(out, text + i, (size_t)(hit - (text + i)));
    sb_puts(out, to);
    i = (size_t)(hit - text) + fl;
  }
}

/* Shifts every free-standing year 2008..2026 by delta. */
static void shift_years(sb *b, int delta) {
  for (size_t i = 0; i + 4 <= b->len; i++) {
    char *p = b->p + i;
    if (p[0] != '2' || p[1] != '0' || p[2] < '0' || p[2] > '2' || p[3] < '0' ||
        p[3] > '9')
      continue;
    if ((i > 0 && p[-1] >= '0' && p[-1] <= '9') ||
        (i + 4 < b->len && p[4] >= '0' && p[4] <= '9'))
      continue;
    int y = 2000 + (p[2] - '0') * 10 + (p[3] - '0');
    if (y < 2008 || y > 2026)
      continue;
    y += delta;
    p[2] = (char)('0' + (y / 10) % 10);
    p[3] = (char)('0' + y % 10);
    i += 3;
  }
}

static void derived_report(uint64_t *s, const source *src, sb *b) {
  body bd;
  make_body(s, &bd);
  sb tmp = {0};
  const char *text = src->data;
  size_t len = src->len;
  if (src->core) {
    replace_all(&tmp, text, len, src->core, bd.core);
    text = tmp.p;
    len = tmp.len;
  }
  if (src->short_ && text) {
    sb tmp2 = {0};
    replace_all(&tmp2, text, len, src->short_, bd.name);
    free(tmp.p);
    tmp = tmp2;
    text = tmp.p;
    len = tmp.len;
  }
  sb_add(b, text ? text : "", text ? len : 0);
  free(tmp.p);
  shift_years(b, (int)rnd(s, 4) - 2);
}

/* ------------------------------------------------------------- driver */

int corpus_write(const char *dir, size_t n, size_t folders, const char *shared,
                 double shared_share, uint64_t seed, corpus_stats *st) {
  memset(st, 0, sizeof *st);
  labels l;
  if (load_labels(&l) != 0) {
    fprintf(stderr, "gk_bench: the library's cell listing is incomplete\n");
    return -1;
  }
  source *src = NULL;
  size_t n_src = 0, cap_src = 0;
  if (shared) {
    char path[4096];
    snprintf(path, sizeof path, "%s/seeds", shared);
    add_sources(path, &src, &n_src, &cap_src);
    snprintf(path, sizeof path, "%s/corpus/raw", shared);
    add_sources(path, &src, &n_src, &cap_src);
  }
  st->shared_sources = n_src;
  if (folders == 0)
    folders = 1;
  uint64_t s = seed ? seed : 0x9E3779B97F4A7C15ull;
  int rc = 0;
  sb b = {0};
  for (size_t f = 0; f < folders; f++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/batch_%02zu", dir, f);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "gk_bench: %s: %s\n", path, strerror(errno));
      rc = -1;
    }
  }
  for (size_t i = 0; i < n && rc == 0; i++) {
    size_t folder = i * folders / n;
    char path[4096];
    b.len = 0;
    b.failed = false;
    const char *ext;
    bool derive = n_src && (double)rnd(&s, 1000) < shared_share * 1000;
    if (derive) {
      const source *one = &src[rnd(&s, (uint32_t)n_src)];
      derived_report(&s, one, &b);
      ext = "txt";
      st->from_shared++;
    } else {
      layout lay = (layout)rnd(&s, 3);
      template_report(&s, &l, lay, &b);
      ext = lay == LAYOUT_MARKDOWN ? "md" : "txt";
      st->from_template[lay]++;
    }
    if (b.failed) {
      fprintf(stderr, "gk_bench: out of memory\n");
      rc = -1;
      break;
    }
    snprintf(path, sizeof path, "%s/batch_%02zu/%06zu.%s", dir, folder, i, ext);
    if (write_file(path, b.p, b.len) != 0)
      rc = -1;
    st->files++;
    st->bytes += b.len;
  }
  free(b.p);
  for (size_t k = 0; k < n_src; k++) {
    free(src[k].data);
    free(src[k].core);
    free(src[k].short_);
  }
  free(src);
  return rc;
}

/*
 * zip_import.c - a ZIP archive of reports uploaded in one request
 * (POST /api/v1/batches/{id}/zip): each file in it is stored and queued as
 * if it had been uploaded alone.  The archive is untrusted: the same kind
 * of bomb limits as the DOCX reader's (entries, inflated bytes, ratio)
 * are applied before and while inflating.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "gongkai.h"
#include "server.h"

/* Entries in one archive: an office zips a year's folder, a few hundred
 * to a few thousand files.  libzip reads the whole central directory at
 * open, so the count is read from the end record in the raw bytes first. */
#define GK_ZIP_MAX_ENTRIES 20000u

/* Inflated bytes of one entry: the library's input cap, as for a file
 * uploaded alone. */
#define GK_ZIP_MAX_ENTRY_BYTES ((uint64_t)GK_MAX_INPUT_BYTES)

/* Inflated bytes of the whole archive: 2 GiB, so that one request cannot
 * fill the disk whatever the sizes its headers declare. */
#define GK_ZIP_MAX_TOTAL_BYTES ((uint64_t)2 << 30)

/* Inflation ratio of an entry: 200 to 1, once past 8 MiB (the DOCX
 * reader's rule).  Reports compress 2 to 30 times; bombs a thousand. */
#define GK_ZIP_MAX_RATIO 200u
#define GK_ZIP_RATIO_FLOOR ((uint64_t)8 << 20)

/* Bytes inflated at a time. */
#define GK_ZIP_CHUNK ((size_t)64 << 10)

/* The longest entry name kept (display only; files are stored by hash). */
#define GK_ZIP_NAME_MAX 255

/* Entries inflated before they are stored together in one commit
 * (gk_store_uploads()): at most this many, and this many inflated bytes
 * (held in memory until their commit). */
#define GK_ZIP_GROUP_FILES 64
#define GK_ZIP_GROUP_BYTES ((size_t)32 << 20)

/* The entry count of the end-of-central-directory record, or -1 when
 * there is none in the last 64 KiB + 22 bytes (not a ZIP). */
static long eocd_entries(const unsigned char *d, size_t len) {
  if (len < 22)
    return -1;
  size_t stop = len > 65557 ? len - 65557 : 0;
  for (size_t i = len - 22 + 1; i-- > stop;) {
    if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 5 && d[i + 3] == 6)
      return (long)(d[i + 10] | (d[i + 11] << 8));
  }
  return -1;
}

static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80         ? 0
            : (*p >> 5) == 6  ? 1
            : (*p >> 4) == 14 ? 2
            : (*p >> 3) == 30 ? 3
                              : -1;
    if (n < 0)
      return 0;
    p++;
    for (int k = 0; k < n; k++, p++)
      if ((*p & 0xC0) != 0x80)
        return 0;
  }
  return 1;
}

/* The entry's name as UTF-8: archives made on Chinese Windows store names
 * in GBK without saying so; names are only shown, so a name that is
 * neither becomes "文件N". */
static void entry_name(zip_t *za, zip_uint64_t i, char *out, size_t cap) {
  const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
  if (raw && strlen(raw) < GK_ZIP_NAME_MAX && valid_utf8(raw)) {
    snprintf(out, cap, "%s", raw);
    return;
  }
  if (raw && strlen(raw) < GK_ZIP_NAME_MAX) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd != (iconv_t)-1) {
      char in[GK_ZIP_NAME_MAX + 1];
      snprintf(in, sizeof in, "%s", raw);
      char *ip = in, *op = out;
      size_t il = strlen(in), ol = cap - 1;
      size_t r = iconv(cd, &ip, &il, &op, &ol);
      iconv_close(cd);
      if (r != (size_t)-1 && il == 0) {
        *op = '\0';
        return;
      }
    }
  }
  snprintf(out, cap, "文件%llu", (unsigned long long)i + 1);
}

/* Whether an entry is not a report of the folder: a folder entry, hidden
 * files, macOS resource forks. */
static int skipped(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || name[n - 1] == '/' || strncmp(name, "__MACOSX/", 9) == 0)
    return 1;
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  return base[0] == '.';
}

/* Inflates entry i within the limits into a new buffer. */
static const char *inflate(zip_t *za, zip_uint64_t i, uint64_t *budget,
                           char **out, size_t *len) {
  zip_stat_t sb;
  zip_stat_init(&sb);
  if (zip_stat_index(za, i, 0, &sb) != 0)
    return "压缩包中的文件已损坏";
  if ((sb.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
      sb.encryption_method != ZIP_EM_NONE)
    return "加密的文件，无法解压";
  if ((sb.valid & ZIP_STAT_SIZE) && sb.size > GK_ZIP_MAX_ENTRY_BYTES)
    return "解压后超过 64 MiB 的处理上限";
  uint64_t comp = (sb.valid & ZIP_STAT_COMP_SIZE) ? sb.comp_size : 0;
  zip_file_t *zf = zip_fopen_index(za, i, 0);
  if (!zf)
    return "压缩包中的文件无法解压";
  size_t cap = GK_ZIP_CHUNK, n = 0;
  char *buf = malloc(cap);
  const char *why = NULL;
  while (buf && !why) {
    if (cap - n < GK_ZIP_CHUNK) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        why = "内存不足";
        break;
      }
      buf = nb;
      cap *= 2;
    }
    zip_int64_t got = zip_fread(zf, buf + n, GK_ZIP_CHUNK);
    if (got < 0)
      why = "压缩包中的文件无法解压";
    else if (got == 0)
      break;
    else {
      n += (size_t)got;
      if (n > GK_ZIP_MAX_ENTRY_BYTES)
        why = "解压后超过 64 MiB 的处理上限";
      else if (n > *budget)
        why = "压缩包解压后的总大小超过上限";
      else if (comp && n > GK_ZIP_RATIO_FLOOR && n / GK_ZIP_MAX_RATIO > comp)
        why = "压缩比异常（疑似 ZIP 炸弹）";
    }
  }
  if (!buf)
    why = "内存不足";
  zip_fclose(zf);
  if (why) {
    free(buf);
    return why;
  }
  *budget -= n;
  *out = buf;
  *len = n;
  return NULL;
}

/* An entry inflated and waiting to be stored with its group. */
typedef struct zip_pending {
  char name[GK_ZIP_NAME_MAX * 2 + 1];
  char *bytes;
  size_t len;
  const char *why; /* refused before storing */
} zip_pending;

static void pending_free(zip_pending *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(p[i].bytes);
    p[i].bytes = NULL;
  }
}

/* Stores a group of inflated entries in one commit (gk_store_uploads())
 * and adds their results in the archive's order.  Returns 200, or the
 * status that stops the archive (the batch is gone, the store failed,
 * memory ran out) with res->error. */
static int store_pending(gk_server *srv, int64_t batch, zip_pending *p,
                         size_t n, gk_zip_result *res) {
  gk_upload up[GK_ZIP_GROUP_FILES];
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!p[i].why)
      up[k++] =
          (gk_upload){.name = p[i].name, .bytes = p[i].bytes, .len = p[i].len};
  gk_store_uploads(srv, batch, up, k);
  pending_free(p, n);
  int status = 200;
  k = 0;
  for (size_t i = 0; i < n && status == 200; i++) {
    const char *why = p[i].why;
    int64_t report = 0;
    int dup = 0;
    if (!why) {
      gk_upload *u = &up[k++];
      if (u->status >= 500 || u->status == 404) {
        res->error = u->why;
        return u->status;
      }
      why = u->status >= 400 ? u->why : NULL;
      report = u->report;
      dup = u->duplicate;
    }
    if (gk_zip_result_add(res, p[i].name, why, why ? 0 : report, dup) != 0) {
      res->error = "内存不足";
      status = 500;
    }
  }
  return status;
}

int gk_zip_import(gk_server *srv, int64_t batch, const void *data, size_t len,
                  gk_zip_result *res) {
  memset(res, 0, sizeof *res);
  long declared = eocd_entries(data, len);
  if (declared < 0) {
    res->error = "不是 ZIP 压缩包";
    return 400;
  }
  if ((unsigned long)declared > GK_ZIP_MAX_ENTRIES) {
    res->error = "压缩包中的文件超过 20000 个";
    return 413;
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  if (!za) {
    if (src)
      zip_source_free(src);
    zip_error_fini(&ze);
    res->error = "ZIP 压缩包已损坏或不完整";
    return 400;
  }
  zip_error_fini(&ze);
  zip_int64_t n = zip_get_num_entries(za, 0);
  if (n < 0 || (zip_uint64_t)n > GK_ZIP_MAX_ENTRIES) {
    zip_close(za);
    res->error = "压缩包中的文件超过 20000 个";
    return 413;
  }
  uint64_t budget = GK_ZIP_MAX_TOTAL_BYTES;
  int status = 200;
  /* the entries inflated and not yet stored: a group committed at once */
  zip_pending pend[GK_ZIP_GROUP_FILES];
  size_t n_pend = 0, pend_bytes = 0;
  for (zip_uint64_t i = 0; i < (zip_uint64_t)n && status == 200; i++) {
    const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
    if (!raw || skipped(raw))
      continue;
    zip_pending *e = &pend[n_pend];
    memset(e, 0, sizeof *e);
    entry_name(za, i, e->name, sizeof e->name);
    e->why = inflate(za, i, &budget, &e->bytes, &e->len);
    if (!e->why && e->len == 0)
      e->why = "文件为空";
    pend_bytes += e->len;
    n_pend++;
    if (n_pend == GK_ZIP_GROUP_FILES || pend_bytes >= GK_ZIP_GROUP_BYTES) {
      status = store_pending(srv, batch, pend, n_pend, res);
      n_pend = pend_bytes = 0;
    }
  }
  if (status == 200 && n_pend > 0)
    status = store_pending(srv, batch, pend, n_pend, res);
  else
    pending_free(pend, n_pend);
  zip_discard(za);
  return status;
}

int gk_zip_result_add(gk_zip_result *res, const char *name, const char *why,
                      int64_t report, int duplicate) {
  if (res->n == res->cap) {
    size_t nc = res->cap ? res->cap * 2 : 32;
    gk_zip_entry *ne = realloc(res->entries, nc * sizeof *ne);
    if (!ne)
      return -1;
    res->entries = ne;
    res->cap = nc;
  }
  gk_zip_entry *e = &res->entries[res->n];
  e->name = strdup(name);
  if (!e->name)
    return -1;
  e->error = why;
  e->report = report;
  e->duplicate = duplicate;
  res->n++;
  return 0;
}

void gk_zip_result_free(gk_zip_result *res) {
  for (size_t i = 0; i < res->n; i++)
    free(res->entries[i].name);
  free(res->entries);
  memset(res, 0, sizeof *res);
}

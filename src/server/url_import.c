/*
 * url_import.c - reports imported from a list of URLs
 * (POST /api/v1/batches/{id}/urls): each URL is fetched with libcurl and
 * the file stored and queued as if it had been uploaded alone.  The list
 * and what the URLs answer are untrusted: only http and https (also after
 * a redirect), a few redirects, a size and a time limit per file, and a
 * limit on the list.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"
#include "server.h"

/* URLs in one list: a county's bodies publish a few hundred reports a
 * year; a longer list is split by the office. */
#define GK_URL_MAX_COUNT 1000u

/* The longest URL accepted: browsers and servers stop near 2,000-8,000
 * characters; a report's address is far shorter. */
#define GK_URL_MAX_LEN 2048u

/* Bytes of one file: the library's input cap, as for an upload. */
#define GK_URL_MAX_BYTES ((curl_off_t)GK_MAX_INPUT_BYTES)

/* Seconds to connect, and for one whole transfer: a 64 MiB report over a
 * slow office line takes about a minute. */
#define GK_URL_CONNECT_SECONDS 10L
#define GK_URL_TRANSFER_SECONDS 120L

/* A transfer slower than 1 KiB/s for 30 s is given up. */
#define GK_URL_LOW_SPEED_BYTES 1024L
#define GK_URL_LOW_SPEED_SECONDS 30L

/* Redirects followed: sites move reports once or twice (http to https,
 * an old column to a new one); more is a loop. */
#define GK_URL_MAX_REDIRECTS 5L

/* The longest file name kept (display only; files are stored by hash). */
#define GK_URL_NAME_MAX 255

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;
static void curl_init(void) {
  curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct fetch_buf {
  char *data;
  size_t len, cap;
  int too_big;
} fetch_buf;

static size_t on_data(char *ptr, size_t size, size_t n, void *arg) {
  fetch_buf *b = arg;
  size_t add = size * n;
  if (add > (size_t)GK_URL_MAX_BYTES - b->len) {
    b->too_big = 1;
    return 0; /* aborts the transfer */
  }
  if (b->len + add > b->cap) {
    size_t cap = b->cap ? b->cap : (size_t)64 << 10;
    while (cap < b->len + add)
      cap *= 2;
    if (cap > (size_t)GK_URL_MAX_BYTES)
      cap = (size_t)GK_URL_MAX_BYTES;
    char *d = realloc(b->data, cap);
    if (!d)
      return 0;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, ptr, add);
  b->len += add;
  return add;
}

/* The file name of a URL: its last path segment, percent-decoded, or
 * "下载的文件" when it has none; written into name[cap]. */
static void url_file_name(CURL *c, const char *url, char *name, size_t cap) {
  snprintf(name, cap, "下载的文件");
  const char *start = strstr(url, "://");
  start = start ? start + 3 : url;
  const char *end = start + strcspn(start, "?#");
  const char *slash = NULL;
  for (const char *p = start; p < end; p++)
    if (*p == '/')
      slash = p;
  if (!slash || slash + 1 >= end)
    return;
  int n = 0;
  char *dec = curl_easy_unescape(c, slash + 1, (int)(end - slash - 1), &n);
  if (dec && n > 0 && !memchr(dec, '\0', (size_t)n))
    snprintf(name, cap, "%.*s", n, dec);
  curl_free(dec);
}

/* Fetches one URL into *b; returns NULL, or why not in Chinese. */
static const char *fetch(CURL *c, const char *url, fetch_buf *b) {
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, GK_URL_MAX_REDIRECTS);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, GK_URL_MAX_BYTES);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, GK_URL_CONNECT_SECONDS);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, GK_URL_TRANSFER_SECONDS);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, GK_URL_LOW_SPEED_BYTES);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, GK_URL_LOW_SPEED_SECONDS);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "gongkai-serve");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  switch (rc) {
  case CURLE_OK:
    break;
  case CURLE_UNSUPPORTED_PROTOCOL:
    return "只能下载 http 或 https 地址";
  case CURLE_URL_MALFORMAT:
    return "网址格式不正确";
  case CURLE_TOO_MANY_REDIRECTS:
    return "跳转次数过多";
  case CURLE_FILESIZE_EXCEEDED:
    return "文件过大（超过 64 MiB）";
  case CURLE_OPERATION_TIMEDOUT:
    return "下载超时";
  case CURLE_COULDNT_RESOLVE_HOST:
    return "无法解析主机名";
  case CURLE_COULDNT_CONNECT:
    return "无法连接服务器";
  case CURLE_WRITE_ERROR:
    return b->too_big ? "文件过大（超过 64 MiB）" : "内存不足";
  default:
    return "下载失败";
  }
  if (code >= 400)
    return code == 404 ? "服务器返回 404（文件不存在）" : "服务器返回错误状态";
  if (b->len == 0)
    return "文件为空";
  return NULL;
}

int gk_url_import(gk_server *srv, int64_t batch, const char *list, size_t len,
                  gk_zip_result *res) {
  memset(res, 0, sizeof *res);
  pthread_once(&curl_once, curl_init);
  if (curl_init_rc != CURLE_OK) {
    res->error = "下载组件无法初始化";
    return 500;
  }
  CURL *c = curl_easy_init();
  if (!c) {
    res->error = "内存不足";
    return 500;
  }
  int status = 200;
  size_t count = 0;
  const char *p = list, *end = list + len;
  /* the whole list is refused before anything is fetched when too long */
  size_t lines = 0;
  for (const char *q = list; q < end;) {
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    const char *a = q, *b = nl ? nl : end;
    q = nl ? nl + 1 : end;
    while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
      a++;
    if (a < b && *a != '#')
      lines++;
  }
  if (lines > GK_URL_MAX_COUNT) {
    curl_easy_cleanup(c);
    res->error = "网址过多（一次最多 1000 个）";
    return 413;
  }
  while (p < end && status == 200) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *a = p, *b = le;
    p = nl ? nl + 1 : end;
    while (a < b && (*a == ' ' || *a == '\t'))
      a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
      b--;
    if (a == b || *a == '#')
      continue; /* blank lines and comments */
    count++;
    char url[GK_URL_MAX_LEN + 1];
    char name[GK_URL_NAME_MAX + 1];
    size_t ulen = (size_t)(b - a);
    /* A URL is printable ASCII (other characters percent-encoded, as a
     * browser copies it); the line number names a refused one. */
    const char *bad = NULL;
    if (ulen > GK_URL_MAX_LEN)
      bad = "网址过长";
    for (size_t i = 0; i < ulen && !bad; i++)
      if ((unsigned char)a[i] <= 0x20 || (unsigned char)a[i] >= 0x7f)
        bad = "网址含有空格或非 ASCII 字符（中文须先编码）";
    if (bad) {
      snprintf(name, sizeof name, "第 %zu 个网址", count);
      if (gk_zip_result_add(res, name, bad, 0, 0) != 0)
        status = 500;
      continue;
    }
    memcpy(url, a, ulen);
    url[ulen] = '\0';
    fetch_buf buf = {0};
    const char *why = fetch(c, url, &buf);
    if (!why) {
      char *eff = NULL;
      curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
      url_file_name(c, eff ? eff : url, name, sizeof name);
      int64_t report = 0;
      int dup = 0;
      char sha[65];
      const char *err = NULL;
      int st = gk_store_upload(srv, batch, name, buf.data, buf.len, &report,
                               &dup, sha, &err);
      if (st == 404 || st == 413) {
        res->error = err; /* the batch is gone or full: stop */
        status = st;
      } else if (gk_zip_result_add(res, url, err, report, dup) != 0) {
        status = 500;
      }
    } else if (gk_zip_result_add(res, url, why, 0, 0) != 0) {
      status = 500;
    }
    free(buf.data);
  }
  curl_easy_cleanup(c);
  if (status == 200 && count == 0) {
    res->error = "没有网址（每行一个 http 或 https 地址）";
    status = 400;
  }
  if (status == 500 && !res->error)
    res->error = "内存不足";
  return status;
}

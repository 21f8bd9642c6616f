/* PLACEHOLDER until its owner writes it: HTML is refused as before. */
#include "model.h"
gk_status gk__read_html(gk_report *r, const char *data, size_t len,
                        gk__layout *out, const char **detail) {
  (void)r, (void)data, (void)len, (void)out;
  *detail = "HTML 网页（HTML 读取尚未实现）";
  return GK_EUNSUPPORTED;
}

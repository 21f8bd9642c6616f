/* PLACEHOLDER until its owner writes it: PDF is refused as before. */
#include "model.h"
gk_status gk__read_pdf(gk_report *r, const char *data, size_t len,
                       gk__layout *out, const char **detail) {
  (void)r, (void)data, (void)len, (void)out;
  *detail = "PDF 文件（PDF 读取尚未实现）";
  return GK_EUNSUPPORTED;
}

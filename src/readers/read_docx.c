/* PLACEHOLDER until its owner writes it: DOCX is refused as before. */
#include "model.h"
gk_status gk__read_docx(gk_report *r, const char *data, size_t len,
                        gk__layout *out, const char **detail) {
  (void)r, (void)data, (void)len, (void)out;
  *detail = "ZIP 压缩包或 Word 文档（DOCX 读取尚未实现）";
  return GK_EUNSUPPORTED;
}

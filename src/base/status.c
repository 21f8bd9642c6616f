/*
 * status.c - messages and names for the status codes of gongkai.h.
 */
#include "gongkai.h"

const char *gk_strerror(gk_status status) {
  switch (status) {
#define GK_STATUS_MSG(name, msg)                                               \
  case GK_##name:                                                              \
    return msg;
    GK_STATUS_MAP(GK_STATUS_MSG)
#undef GK_STATUS_MSG
  default:
    return "未知错误";
  }
}

const char *gk_status_name(gk_status status) {
  switch (status) {
#define GK_STATUS_NAME(name, msg)                                              \
  case GK_##name:                                                              \
    return "GK_" #name;
    GK_STATUS_MAP(GK_STATUS_NAME)
#undef GK_STATUS_NAME
  default:
    return "GK_UNKNOWN";
  }
}

const char *gk_severity_name(gk_severity severity) {
  switch (severity) {
  case GK_SEV_ERROR:
    return "error";
  case GK_SEV_WARNING:
    return "warning";
  default:
    return "note";
  }
}

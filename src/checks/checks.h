/*
 * checks.h - the rule families' shared interface.
 *
 * gk_check() (checks.c) runs each family over a parsed report.  Rules read
 * the model only, through a const gk_report *, never the layout a reader
 * made: what they judge about the wording the parser recorded in the
 * model (its written pass), and the facts stated in the prose are the
 * model's too (facts.h).  They report findings through gk__finding(),
 * which adds a diagnostic with the rule's catalogue severity; they never
 * print.  A rule that cannot be decided because a
 * cell it needs is null stays quiet: the parser's cell.* diagnostic
 * already explains the gap.
 *
 *   checks.c            gk_check(), gk__finding() (the catalogue is
 *                       format/rules.def)
 *   body.c              the kind of body, from its name
 *   rules_structure.c   structure.*      rules_meta.c     meta.*
 *   rules_cell.c        cell.fee-unit    rules_arith.c    arith.*
 *   rules_text.c        text.*           rules_history.c  history.*
 */
#ifndef GK_CHECKS_H
#define GK_CHECKS_H

#include "model.h"

/* What every rule sees. */
typedef struct gk__check {
  gk_report *r;          /* findings are added to it */
  const gk_report *prev; /* last year's report of the same body, or NULL */
  gk_check_options opts; /* with defaults filled in */
  gk_body_kind body;     /* the kind of body that issued the report */
} gk__check;

/* Adds a finding of `rule` with its catalogue severity.  `line` is the
 * source line (0: none), `path` the model field (NULL: none), the message
 * one Chinese sentence naming the part, row, column and numbers.  Returns
 * the diagnostic (to set expected/actual) or NULL when memory ran out. */
gk_diag *gk__finding(gk__check *c, gk__rule rule, uint32_t line,
                     const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* The same with a severity other than the catalogue's (meta.late is a
 * warning for townships). */
gk_diag *gk__finding_sev(gk__check *c, gk__rule rule, gk_severity sev,
                         uint32_t line, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Whether the report already has a diagnostic of this rule (the parser
 * emits some structure.* and cell.* ones itself). */
bool gk__has_finding(const gk_report *r, gk__rule rule);

/* The kind of body from its name (agency, else the title's body). */
gk_body_kind gk__body_kind(const char *name);

/* The families.  Each adds its findings to c->r. */
void gk__rules_structure(gk__check *c);
void gk__rules_meta(gk__check *c);
void gk__rules_cell(gk__check *c);
void gk__rules_arith(gk__check *c);
void gk__rules_text(gk__check *c);
void gk__rules_history(gk__check *c); /* only with c->prev */

/* The similarity of two parts' prose (rules_history.c): the Jaccard
 * similarity of their character 5-gram sets, folded, with everything but
 * ideographs and letters removed; -1 when either text has fewer than
 * min_chars such characters or memory ran out. */
double gk__text_similarity(const char *a, const char *b, size_t min_chars);

/* Helpers over cells, for rules. */
/* The cell at (table, row, col), or NULL when the table is absent. */
const gk__cell *gk__cell_at(const gk_report *r, gk__table_id t, int row,
                            int col);
/* Whether the cell holds an integer (a number with no decimals). */
static inline bool gk__cell_int(const gk__cell *c, int64_t *v) {
  if (!c || c->state != GK_CELL_VALUE || c->scale != 0)
    return false;
  *v = c->value;
  return true;
}

#endif /* GK_CHECKS_H */

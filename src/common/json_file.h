/* JSON state files (run.json): a timestamp object and an atomic save. */
#ifndef MMT_JSON_FILE_H
#define MMT_JSON_FILE_H

#include <jansson.h>

/* {"epoch": N, "time": "YYYY-MM-DDTHH:MM:SSZ"} for now. */
json_t *json_stamp_now(void);
/* Indented, keys in insertion order, newline-terminated, written through
 * a temporary file and rename(): a reader never sees half of it. */
int json_save_atomic(const char *path, json_t *root);

#endif

/* lines.h - included twice: once-only, a macro spanning lines */
#pragma once
int from_header = __LINE__;
#define SPLIT(x) x + \
   1

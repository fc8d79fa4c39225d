#ifndef DUMP_DEFINES_H
#define DUMP_DEFINES_H
#define IN_HEADER 3
#endif

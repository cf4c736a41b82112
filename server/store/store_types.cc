#include "server/store/store_types.h"

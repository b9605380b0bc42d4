"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=rest.js.map
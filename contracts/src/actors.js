"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=actors.js.map
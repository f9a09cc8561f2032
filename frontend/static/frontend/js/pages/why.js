// Why hips?: the page is the words themselves; this module keeps the sync line as every page does.
import { boot, runPage } from "../app.js";

runPage(() => boot({ needsUser: false }));

// Next.js's standalone output holds the server and every file it needs except the browser's static
// chunks (.next/static), which the server looks for beside itself. Copied in after each build, the one
// directory runs the site: the launcher, the browser tests and the image all start its server.js.
// The server also loads forwarded-for.cjs first (that file says why).
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const standalone = '.next/standalone/apps/frontend';
rmSync(`${standalone}/.next/static`, { recursive: true, force: true });
cpSync('.next/static', `${standalone}/.next/static`, { recursive: true });

cpSync('scripts/forwarded-for.cjs', `${standalone}/forwarded-for.cjs`);
const server = `${standalone}/server.js`;
const preload = "require('./forwarded-for.cjs');\n";
const source = readFileSync(server, 'utf8');
if (!source.startsWith(preload)) writeFileSync(server, preload + source);

// Next.js's standalone output holds the server and every file it needs except the browser's static
// chunks (.next/static), which the server looks for beside itself. Copied in after each build, the one
// directory runs the site: the launcher, the browser tests and the image all start its server.js.
import { cpSync, rmSync } from 'node:fs';

const target = '.next/standalone/apps/frontend/.next/static';
rmSync(target, { recursive: true, force: true });
cpSync('.next/static', target, { recursive: true });

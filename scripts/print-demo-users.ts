// Prints the demo accounts for the banner of `npm run demo`.
import { DEMO_USERS } from "../prisma/demo-users";

for (const user of DEMO_USERS) {
  console.log(`    ${user.email.padEnd(26)} ${user.password.padEnd(20)} ${user.role}`);
}

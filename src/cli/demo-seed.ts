import { runInTenant, type Sql } from '../platform/db.ts';
import { hashSecret } from '../core/passwords.ts';
import { createPractice, createStaffMember } from '../core/practices.ts';
import { hashAnswer } from '../core/security-question.ts';

export const DEMO_STAFF_PASSWORD = 'correct horse battery staple';
export const DEMO_GUARDIAN_PASSWORD = 'tulip garden evening';

export const DEMO_SIGN_INS = [
  'Sunny Pediatrics practice portal  /sunny-pediatrics/practice/login',
  `  admin (administrator), camilles (nurse), marcusstaff (front desk): password "${DEMO_STAFF_PASSWORD}"`,
  'Sunny Pediatrics patient portal   /sunny-pediatrics/patient/login',
  `  jordan.parent@example.com: password "${DEMO_GUARDIAN_PASSWORD}"`,
  'Oak Family Medicine practice portal /oak-family-medicine/practice/login',
  `  admin: password "${DEMO_STAFF_PASSWORD}"`,
];

const CITY_QUESTION = 'In what city were you born?';
const PET_QUESTION = 'What was the name of your first pet?';

const FIRST_NAMES = ['Ava', 'Liam', 'Mia', 'Noah', 'Emma', 'Lucas', 'Sofia', 'Mateo', 'Isla', 'Ethan', 'Chloe', 'Diego', 'Zoe', 'Owen', 'Nora', 'Eli', 'Maya', 'Leo', 'Aria', 'Jack'];
const LAST_NAMES = ['Garcia', 'Smith', 'Nguyen', 'Johnson', 'Patel', 'Brown', 'Lopez', 'Kim', 'Miller', 'Davis', 'Wilson', 'Martinez', 'Clark', 'Lewis', 'Walker', 'Young', 'Allen', 'Hernandez', 'King', 'Wright'];
const PARENT_NAMES = ['Alex', 'Sam', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Drew'];

/** Idempotent demo data for development; refuses to run in production. */
export async function seedDemoData(owner: Sql): Promise<boolean> {
  if (process.env.NODE_ENV === 'production') throw new Error('Demo data is never seeded in production.');
  const [existing] = await owner`select 1 from tenants where slug = 'sunny-pediatrics'`;
  if (existing) return false;

  const sunny = await createPractice(owner, { slug: 'sunny-pediatrics', name: 'Sunny Pediatrics', timeZone: 'America/New_York', phoneNumber: '(555) 010-0142' });
  await runInTenant(owner, sunny, async (tx) => {
    const staff = [
      { username: 'admin', email: 'admin@sunny-pediatrics.example', firstName: 'Pat', lastName: 'Admin', role: 'admin' as const },
      { username: 'camilles', email: 'cnurse@sunny-pediatrics.example', firstName: 'Camille', lastName: 'Nurse', role: 'nurse' as const },
      { username: 'marcusstaff', email: 'mstaff@sunny-pediatrics.example', firstName: 'Marcus', lastName: 'Staff', role: 'staff' as const },
      { username: 'drlee', email: 'dlee@sunny-pediatrics.example', firstName: 'Dana', lastName: 'Lee', role: 'provider' as const },
    ];
    for (const member of staff) {
      await createStaffMember(tx, { ...member, password: DEMO_STAFF_PASSWORD, securityQuestion: CITY_QUESTION, securityAnswer: 'Springfield', cellPhone: '555-0100' });
    }
    await seedJordanParent(tx);
    await seedFamilies(tx, 300);
  });

  const oak = await createPractice(owner, { slug: 'oak-family-medicine', name: 'Oak Family Medicine', timeZone: 'America/New_York', phoneNumber: '(555) 010-0178' });
  await runInTenant(owner, oak, (tx) =>
    createStaffMember(tx, {
      username: 'admin', email: 'admin@oak-family-medicine.example', firstName: 'Robin', lastName: 'Oak', role: 'admin',
      password: DEMO_STAFF_PASSWORD, securityQuestion: CITY_QUESTION, securityAnswer: 'Springfield',
    }));
  return true;
}

async function seedJordanParent(tx: Sql) {
  const [account] = await tx`
    insert into accounts (tenant_id, portal, username, email, password_hash, status, security_question, security_answer_hash, password_changed_at)
    values (app_tenant_id(), 'patient', 'jordan.parent@example.com', 'jordan.parent@example.com',
            ${await hashSecret(DEMO_GUARDIAN_PASSWORD)}, 'active', ${PET_QUESTION}, ${await hashAnswer('Biscuit')}, now())
    returning id`;
  const [contact] = await tx`
    insert into family_contacts (tenant_id, first_name, last_name, email, phone, account_id)
    values (app_tenant_id(), 'Jordan', 'Parent', 'jordan.parent@example.com', '555-0142', ${account.id}) returning id`;
  const children = [
    { number: '10001', first: 'Riley', birth: '2016-04-12' },
    { number: '10002', first: 'Casey', birth: '2019-09-30' },
  ];
  for (const child of children) {
    const [patient] = await tx`
      insert into patients (tenant_id, account_number, first_name, last_name, date_of_birth)
      values (app_tenant_id(), ${child.number}, ${child.first}, 'Parent', ${child.birth}) returning id`;
    await tx`insert into associations (tenant_id, patient_id, contact_id, relationship) values (app_tenant_id(), ${patient.id}, ${contact.id}, 'guardian')`;
  }
}

/** A few hundred families so lists look real: one guardian contact each, some with portal accounts. */
async function seedFamilies(tx: Sql, count: number) {
  for (let i = 0; i < count; i++) {
    const last = LAST_NAMES[i % LAST_NAMES.length];
    const parentFirst = PARENT_NAMES[(i * 7) % PARENT_NAMES.length];
    const email = `${parentFirst}.${last}.${i}@example.com`.toLowerCase();
    const invited = i % 3 === 0;
    const [account] = invited
      ? await tx`insert into accounts (tenant_id, portal, username, email, status) values (app_tenant_id(), 'patient', ${email}, ${email}, 'invited') returning id`
      : [null];
    const [contact] = await tx`
      insert into family_contacts (tenant_id, first_name, last_name, email, account_id)
      values (app_tenant_id(), ${parentFirst}, ${last}, ${email}, ${account?.id ?? null}) returning id`;
    const birthYear = 2008 + (i % 17);
    const [patient] = await tx`
      insert into patients (tenant_id, account_number, first_name, last_name, date_of_birth)
      values (app_tenant_id(), ${String(20001 + i)}, ${FIRST_NAMES[(i * 3) % FIRST_NAMES.length]}, ${last},
              ${`${birthYear}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`})
      returning id`;
    await tx`insert into associations (tenant_id, patient_id, contact_id, relationship)
             values (app_tenant_id(), ${patient.id}, ${contact.id}, ${i % 2 ? 'mother' : 'father'})`;
  }
}

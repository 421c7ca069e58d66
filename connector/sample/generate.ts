/**
 * Sample billing tables of a fictional state, generated from a fixed seed so the committed CSVs in
 * connector/sample/ can be reproduced byte for byte (a test checks it). Run
 * `npm run connector -- sample` to rewrite them after changing this file.
 *
 * 40 agencies, 24 months (FY2024 and FY2025, July start), 25 services across service models,
 * 12 teams with 2-4 goals each measured monthly (some lower-is-better, some met, some missed),
 * a few thousand survey responses, a follow-up on most ratings below 4 (on time, late or never
 * made) and check-ins on most goals (some missed, some with an improvement plan).
 */
import { FOCUS_SERVICE_CATEGORIES, SERVICE_MODELS, sourceTables } from "../src/schema";
import { DEFAULT_FOLLOW_UP_BUSINESS_DAYS, FOLLOW_UP_BELOW_RATING } from "../src/schemaFollowUps";

export const SAMPLE_SEED = 20240701;
export const SAMPLE_FIRST_MONTH = "2023-07-01";
export const SAMPLE_MONTHS = 24;
/** The fixed day goal statuses in expected.json are judged on. */
export const SAMPLE_STATUS_DATE = "2025-03-31";

/** mulberry32: a small seeded PRNG (Math.random is neither reproducible nor allowed here). */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

type Row = Record<string, string | number | null>;

const AGENCY_NAMES = [
    "Department of Revenue", "Department of Transportation", "Department of Health", "Department of Human Services",
    "Department of Corrections", "Department of Education", "Department of Labor", "Department of Agriculture",
    "Department of Natural Resources", "Department of Public Safety", "Department of Commerce", "Department of Administration",
    "Department of Veterans Affairs", "Department of Insurance", "Department of Financial Institutions", "Department of Motor Vehicles",
    "Department of Environmental Quality", "Department of Fish and Wildlife", "Department of Parks and Recreation", "Department of Housing",
    "Department of Aging", "Department of Child Services", "Department of Emergency Management", "Department of Energy",
    "Department of Tourism", "Department of Workforce Development", "Office of the Governor", "Office of the Attorney General",
    "Office of the Secretary of State", "Office of the State Treasurer", "State Auditor", "State Police",
    "State Library", "State Lottery", "Board of Elections", "Board of Nursing",
    "Public Utilities Commission", "Gaming Commission", "Arts Council", "Historical Society",
];

interface ServiceSpec {
    name: string; category: string; model: string; unit: string; rate: number;
    /** Units per user per month (per-user services ~1). */
    perUser: number; discount: number; core: boolean;
}

const SERVICES: ServiceSpec[] = [
    { name: "Email and Calendar", category: "Business Applications", model: "SaaS", unit: "User-Month", rate: 8, perUser: 1, discount: 0, core: true },
    { name: "Office Productivity Suite", category: "Business Applications", model: "SaaS", unit: "User-Month", rate: 12.5, perUser: 1, discount: 0.1, core: true },
    { name: "Identity and Access", category: "Identity", model: "SaaS", unit: "User-Month", rate: 4, perUser: 1, discount: 0, core: true },
    { name: "Endpoint Protection", category: "Security", model: "SaaS", unit: "Device-Month", rate: 3.75, perUser: 1.2, discount: 0, core: true },
    { name: "Service Desk", category: "Management and Governance", model: "Managed Service", unit: "User-Month", rate: 9, perUser: 1, discount: 0, core: true },
    { name: "Network WAN", category: "Networking", model: "Managed Service", unit: "Site-Month", rate: 850, perUser: 0.02, discount: 0, core: true },
    { name: "Desktop Support", category: "Other", model: "Managed Service", unit: "Device-Month", rate: 14, perUser: 1.1, discount: 0, core: false },
    { name: "Case Management Platform", category: "Business Applications", model: "SaaS", unit: "User-Month", rate: 45, perUser: 0.3, discount: 0.05, core: false },
    { name: "ERP Financials", category: "Business Applications", model: "SaaS", unit: "User-Month", rate: 30, perUser: 0.15, discount: 0, core: false },
    { name: "GIS Platform", category: "Analytics", model: "SaaS", unit: "User-Month", rate: 60, perUser: 0.05, discount: 0, core: false },
    { name: "Data Warehouse", category: "Analytics", model: "PaaS", unit: "Compute-Hour", rate: 2.4, perUser: 1.5, discount: 0.12, core: false },
    { name: "Managed Databases", category: "Databases", model: "PaaS", unit: "vCore-Month", rate: 210, perUser: 0.01, discount: 0.15, core: false },
    { name: "Application Hosting", category: "Web", model: "PaaS", unit: "Instance-Month", rate: 95, perUser: 0.02, discount: 0.1, core: false },
    { name: "Integration Platform", category: "Integration", model: "PaaS", unit: "Message-Million", rate: 40, perUser: 0.03, discount: 0, core: false },
    { name: "Machine Learning Workspace", category: "AI and Machine Learning", model: "PaaS", unit: "Compute-Hour", rate: 3.1, perUser: 0.4, discount: 0, core: false },
    { name: "Virtual Machines", category: "Compute", model: "IaaS", unit: "VM-Hour", rate: 0.19, perUser: 35, discount: 0.25, core: false },
    { name: "Block Storage", category: "Storage", model: "IaaS", unit: "GB-Month", rate: 0.1, perUser: 90, discount: 0.2, core: false },
    { name: "Object Storage", category: "Storage", model: "IaaS", unit: "GB-Month", rate: 0.023, perUser: 250, discount: 0, core: false },
    { name: "Backup and Recovery", category: "Storage", model: "IaaS", unit: "GB-Month", rate: 0.05, perUser: 120, discount: 0, core: false },
    { name: "Cloud Firewall", category: "Security", model: "IaaS", unit: "Instance-Month", rate: 320, perUser: 0.004, discount: 0, core: false },
    { name: "Mainframe Processing", category: "Compute", model: "On-Premises", unit: "MIPS-Month", rate: 48, perUser: 0.05, discount: 0, core: false },
    { name: "Data Center Hosting", category: "Compute", model: "On-Premises", unit: "Rack-Month", rate: 1150, perUser: 0.003, discount: 0, core: false },
    { name: "Print and Mail", category: "Other", model: "On-Premises", unit: "Page-Thousand", rate: 42, perUser: 0.08, discount: 0, core: false },
    { name: "Telephony", category: "Networking", model: "Managed Service", unit: "Line-Month", rate: 18, perUser: 0.7, discount: 0, core: false },
    { name: "Mobile Device Management", category: "Mobile", model: "SaaS", unit: "Device-Month", rate: 2.5, perUser: 0.5, discount: 0, core: false },
];

/**
 * Fictional agency heads and the agencies the Agency role lets each of them see (access table).
 * One has two agencies; Avery Lee heads the State Library (AG33), the browser test's agency.
 * Fixed, not drawn from the seed, so adding them left the other tables as they were.
 */
export const SAMPLE_AGENCY_HEADS: ReadonlyArray<{ userPrincipalName: string; agencies: readonly string[] }> = [
    { userPrincipalName: "avery.lee@example.gov", agencies: ["AG33"] },
    { userPrincipalName: "jordan.patel@example.gov", agencies: ["AG01", "AG16"] },
    { userPrincipalName: "morgan.chen@example.gov", agencies: ["AG03"] },
    { userPrincipalName: "riley.garcia@example.gov", agencies: ["AG04", "AG21"] },
    { userPrincipalName: "casey.nguyen@example.gov", agencies: ["AG39"] },
];

const TEAM_NAMES = [
    "Service Desk", "Network Operations", "Security Operations", "Cloud Platform", "Enterprise Applications", "Data and Analytics",
    "Identity Services", "Workplace Technology", "Infrastructure", "Digital Services", "Architecture", "Vendor Management",
];

interface GoalTemplate { name: string; unit: string; baseline: number; target: number }
const GOAL_TEMPLATES: GoalTemplate[] = [
    { name: "First-contact resolution", unit: "%", baseline: 58, target: 75 },
    { name: "Mean time to restore service", unit: "hours", baseline: 9.5, target: 4 },
    { name: "Critical patches applied within 14 days", unit: "%", baseline: 62, target: 95 },
    { name: "Open ticket backlog", unit: "tickets", baseline: 1200, target: 600 },
    { name: "Workloads migrated to cloud", unit: "workloads", baseline: 40, target: 160 },
    { name: "Phishing test click rate", unit: "%", baseline: 14, target: 5 },
    { name: "Accounts with multifactor sign-in", unit: "%", baseline: 71, target: 99 },
    { name: "Average days to onboard a user", unit: "days", baseline: 6, target: 2 },
    { name: "Legacy applications retired", unit: "applications", baseline: 0, target: 24 },
    { name: "Customer satisfaction score", unit: "points", baseline: 3.6, target: 4.3 },
    { name: "Unplanned outage minutes per month", unit: "minutes", baseline: 540, target: 180 },
    { name: "Data sets published to the open data portal", unit: "data sets", baseline: 120, target: 300 },
];

function pad(n: number): string {
    return n < 10 ? `0${n}` : String(n);
}

function isoDate(date: Date): string {
    return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function addMonths(iso: string, months: number): Date {
    const [y, m] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1 + months, 1));
}

function monthEnd(start: Date): Date {
    return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
}

const round = (value: number, digits: number): number => {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
};

function csvCell(value: string | number | null): string {
    if (value === null) return "";
    const text = typeof value === "number" ? String(value) : value;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text;
}

/** CSV text with the schema's input columns, in schema order, LF line ends. */
export function toCsv(columns: string[], rows: Row[]): string {
    const lines = [columns.map(csvCell).join(",")];
    for (const row of rows) lines.push(columns.map((c) => csvCell(row[c] ?? null)).join(","));
    return `${lines.join("\n")}\n`;
}

/** The sample tables as CSV text, keyed by file name. */
export function generateSample(seed = SAMPLE_SEED): Map<string, string> {
    const random = seededRandom(seed);
    const between = (low: number, high: number): number => low + (high - low) * random();
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const months = Array.from({ length: SAMPLE_MONTHS }, (_, i) => addMonths(SAMPLE_FIRST_MONTH, i));

    const agencies: Row[] = AGENCY_NAMES.map((name, i) => ({ SubAccountId: `AG${pad(i + 1)}`, SubAccountName: name }));
    const services: Row[] = SERVICES.map((s) => ({
        ServiceName: s.name, ServiceCategory: s.category, x_ServiceModel: s.model, PricingUnit: s.unit, x_UnitRate: s.rate,
    }));
    // Guard: the sample must respect the schema's allowed values.
    for (const s of SERVICES) {
        if (!(FOCUS_SERVICE_CATEGORIES as readonly string[]).includes(s.category) || !(SERVICE_MODELS as readonly string[]).includes(s.model)) {
            throw new Error(`Sample service ${s.name} has a category or model outside the schema`);
        }
    }

    const headcount: Row[] = [];
    const charges: Row[] = [];
    const subscriptions = new Map<string, ServiceSpec[]>();
    for (const agency of agencies) {
        const id = agency.SubAccountId as string;
        const baseUsers = Math.exp(between(Math.log(40), Math.log(6000)));
        const growth = between(-0.004, 0.008);
        const optional = SERVICES.filter((s) => !s.core && random() < 0.35);
        const subscribed = [...SERVICES.filter((s) => s.core), ...optional];
        subscriptions.set(id, subscribed);
        const adoption = new Map(subscribed.map((s) => [s.name, between(0.6, 1.0)]));
        months.forEach((month, m) => {
            const users = Math.max(5, Math.round(baseUsers * (1 + growth * m) * between(0.98, 1.02)));
            const period = isoDate(month);
            headcount.push({ SubAccountId: id, x_Month: period, x_Users: users });
            const invoice = `INV-${period.slice(0, 4)}${period.slice(5, 7)}-${id}`;
            for (const service of subscribed) {
                const quantity = round(Math.max(1, users * service.perUser * (adoption.get(service.name) ?? 1) * between(0.95, 1.05)), 2);
                const billed = round(quantity * service.rate, 2);
                charges.push({
                    InvoiceId: invoice, ChargePeriodStart: period, SubAccountId: id, ServiceName: service.name, ChargeCategory: "Usage",
                    PricingQuantity: quantity, PricingUnit: service.unit, BilledCost: billed, EffectiveCost: round(billed * (1 - service.discount), 2),
                });
            }
            if (random() < 0.04) {
                // An occasional service-level credit, billed as a negative line.
                const service = pick(subscribed);
                const credit = -round(users * service.perUser * service.rate * between(0.05, 0.3), 2);
                charges.push({
                    InvoiceId: invoice, ChargePeriodStart: period, SubAccountId: id, ServiceName: service.name, ChargeCategory: "Credit",
                    PricingQuantity: 0, PricingUnit: service.unit, BilledCost: credit, EffectiveCost: credit,
                });
            }
        });
    }

    const teams: Row[] = TEAM_NAMES.map((name, i) => ({ x_TeamId: `T${pad(i + 1)}`, x_TeamName: name }));
    const goals: Row[] = [];
    const measurements: Row[] = [];
    const dataEnd = monthEnd(months[months.length - 1]);
    // Paces relative to plan: ahead (met), on plan, a little, clearly and far behind.
    const paces = [1.25, 1.05, 0.95, 0.8, 0.65, 0.45];
    let goalNumber = 0;
    teams.forEach((team, t) => {
        const count = 2 + Math.floor(random() * 3);
        for (let g = 0; g < count; g++) {
            goalNumber++;
            const template = GOAL_TEMPLATES[(t * 3 + g * 5) % GOAL_TEMPLATES.length];
            const start = addMonths(SAMPLE_FIRST_MONTH, Math.floor(between(0, 12)));
            const due = monthEnd(addMonths(isoDate(start), Math.floor(between(9, 22)) - 1));
            const id = `G${pad(goalNumber)}`;
            // A few special cases the goal view must handle: a maintain goal (target == baseline),
            // a goal without dates, and a goal with no measurements yet.
            const maintain = goalNumber === 7;
            const undated = goalNumber === 12;
            const unmeasured = goalNumber === 20;
            const baseline = maintain ? 99.9 : template.baseline;
            const target = maintain ? 99.9 : template.target;
            goals.push({
                x_GoalId: id, x_TeamId: team.x_TeamId, x_GoalName: maintain ? "Core system availability" : template.name,
                x_Unit: maintain ? "%" : template.unit, x_Baseline: baseline, x_Target: target,
                x_StartDate: undated ? null : isoDate(start), x_DueDate: undated ? null : isoDate(due),
                // A target equal to its baseline needs its direction (availability: higher is better).
                x_Direction: maintain ? "higher" : null,
            });
            if (unmeasured) continue;
            const pace = pick(paces);
            const span = due.getTime() - start.getTime();
            for (let when = monthEnd(start); when.getTime() <= dataEnd.getTime(); when = monthEnd(addMonths(isoDate(when), 1))) {
                const elapsed = Math.min(1, (when.getTime() - start.getTime()) / span);
                const value = maintain
                    ? between(99.75, 99.98)
                    : baseline + (target - baseline) * Math.min(1.1, pace * elapsed) + (target - baseline) * between(-0.03, 0.03);
                measurements.push({ x_GoalId: id, x_MeasuredOn: isoDate(when), x_Value: round(value, 2) });
            }
        }
    });

    const responses: Row[] = [];
    let responseNumber = 0;
    for (const agency of agencies) {
        const id = agency.SubAccountId as string;
        const mood = between(-0.8, 0.6);
        const subscribed = subscriptions.get(id) ?? [];
        for (const month of months) {
            const count = Math.floor(between(0, 7));
            for (let r = 0; r < count; r++) {
                responseNumber++;
                const day = 1 + Math.floor(between(0, 28));
                const rating = Math.min(5, Math.max(1, Math.round(3.9 + mood + between(-1.6, 1.6))));
                responses.push({
                    x_ResponseId: `R${String(responseNumber).padStart(5, "0")}`, SubAccountId: id,
                    x_ResponseDate: isoDate(new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), day))),
                    x_Rating: rating, ServiceName: random() < 0.7 ? pick(subscribed).name : null,
                });
            }
        }
    }

    const access: Row[] = SAMPLE_AGENCY_HEADS.flatMap((head) =>
        head.agencies.map((agency) => ({ x_UserPrincipalName: head.userPrincipalName, SubAccountId: agency })),
    );
    // Drawn from a second sequence, so adding these tables left the others as they were.
    const loop = closeTheLoop(seededRandom(seed ^ 0x5eed), responses, goals, measurements, isoDate(dataEnd));

    const rowsBySource: Record<string, Row[]> = {
        agencies, services, charges, headcount, teams, goals, goal_measurements: measurements, survey_responses: responses,
        agency_access: access, follow_ups: loop.followUps, goal_checkins: loop.checkIns,
    };
    const files = new Map<string, string>();
    for (const table of sourceTables()) {
        const source = table.source as string;
        files.set(`${source}.csv`, toCsv(table.columns.map((c) => c.source), rowsBySource[source]));
    }
    return files;
}

const CONTACTS = ["Maria Lopez", "James Carter", "Aisha Khan", "Tom Nguyen", "Rachel Stein"];
const OWNERS = ["Dana Brooks", "Luis Ortega", "Priya Raman", "Ken Walsh", "Olivia Grant", "Sam Whitfield"];
const NOTES: Record<string, string[]> = {
    Resolved: ["Fixed the issue raised; the agency confirmed.", "Explained the new process; agency satisfied."],
    "Action agreed": ["Agreed a fix for next release.", "Agency asked for training; scheduled."],
    "Could not reach": ["Left a voicemail and an email.", "No answer; will try again."],
};

const dayOf = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const addDays = (iso: string, days: number): string => isoDate(new Date(dayOf(iso).getTime() + days * 86_400_000));
/** The day `count` business days (Monday to Friday) after `iso`. Only for making the sample. */
function addBusinessDays(iso: string, count: number): string {
    let day = iso;
    for (let left = count; left > 0; ) {
        day = addDays(day, 1);
        const weekday = dayOf(day).getUTCDay();
        if (weekday !== 0 && weekday !== 6) left--;
    }
    return day;
}

/**
 * Follow-ups on the low ratings (most on time, some late, some never made) and goal check-ins
 * (about quarterly from each goal's start; some skipped, a few goals never checked in on).
 */
function closeTheLoop(
    random: () => number,
    responses: Row[],
    goals: Row[],
    measurements: Row[],
    dataEnd: string,
): { followUps: Row[]; checkIns: Row[] } {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const followUps: Row[] = [];
    // Some agencies' account managers never miss one; the others miss some and are late more often.
    const habits = new Map<string, { never: number; late: number }>();
    for (const response of responses) {
        if ((response.x_Rating as number) >= FOLLOW_UP_BELOW_RATING) continue;
        const agency = response.SubAccountId as string;
        let habit = habits.get(agency);
        if (!habit) {
            habit = random() < 0.4 ? { never: 0, late: 0.1 } : { never: 0.1 + random() * 0.25, late: 0.25 };
            habits.set(agency, habit);
        }
        const draw = random();
        if (draw < habit.never) continue; // never made
        const days =
            draw >= habit.never + habit.late
                ? Math.floor(random() * (DEFAULT_FOLLOW_UP_BUSINESS_DAYS + 1))
                : DEFAULT_FOLLOW_UP_BUSINESS_DAYS + 1 + Math.floor(random() * 20);
        const contacted = addBusinessDays(response.x_ResponseDate as string, days);
        if (contacted > dataEnd) continue; // not made yet when the data ends
        const outcome = random() < 0.5 ? "Resolved" : random() < 0.7 ? "Action agreed" : "Could not reach";
        const closes = outcome === "Resolved" || (outcome === "Action agreed" && random() < 0.6);
        const closed = closes ? addDays(contacted, Math.floor(random() * (outcome === "Resolved" ? 8 : 40))) : null;
        followUps.push({
            x_ResponseId: response.x_ResponseId, x_ContactedOn: contacted, x_ContactedBy: pick(CONTACTS), x_Outcome: outcome,
            x_ClosedOn: closed !== null && closed <= dataEnd ? closed : null, x_Note: pick(NOTES[outcome]),
        });
    }

    const checkIns: Row[] = [];
    const measured = new Set(measurements.map((m) => m.x_GoalId));
    goals.forEach((goal, g) => {
        if (!measured.has(goal.x_GoalId) || g % 9 === 4) return; // never checked in on
        const owner = pick(OWNERS);
        const first = (goal.x_StartDate as string | null) ?? "2023-07-01";
        for (let day = addDays(first, 40 + Math.floor(random() * 20)); day <= dataEnd; day = addDays(day, 85 + Math.floor(random() * 14))) {
            if (random() < 0.2) continue; // a check-in missed
            const struggling = random() < 0.5;
            const next = addDays(day, 90);
            checkIns.push({
                x_GoalId: goal.x_GoalId, x_CheckInDate: day,
                x_StatusNote: struggling ? pick(["Progress slower than planned.", "Blocked on a vendor dependency.", "Staff shortage this quarter."]) : pick(["On plan.", "Ahead of plan this quarter.", "Steady progress."]),
                x_ImprovementPlan: struggling ? pick(["Add a second shift for the backlog.", "Escalate the vendor contract; weekly reviews.", "Borrow two engineers from Infrastructure."]) : null,
                x_NextStep: pick(["Review with the CIO.", "Publish the monthly report.", "Run the pilot with two agencies.", "Close the open procurement."]),
                x_Owner: owner, x_NextCheckInDate: random() < 0.9 ? next : null,
            });
        }
    });
    return { followUps, checkIns };
}

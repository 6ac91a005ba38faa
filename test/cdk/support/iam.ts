import { Match, type Template } from 'aws-cdk-lib/assertions';

// Reading IAM policy statements out of a synthesized template, and evaluating the condition the
// stack puts on table writes (`ForAllValues:StringLike` on `dynamodb:LeadingKeys`).

export interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Effect: string;
}

export const actionsOf = (st: Statement): string[] => (Array.isArray(st.Action) ? st.Action : [st.Action]);

/** Every statement of the policies attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** IAM string matching: `*` any run of characters, `?` one character. */
export function iamLike(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/** DynamoDB actions that change items (TransactWriteItems is authorised as these too). */
const ITEM_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/** True when an allowed action of the statement (wildcards included) writes table items. */
export function writesItems(st: Statement): boolean {
  return st.Effect === 'Allow' && actionsOf(st).some((a) => ITEM_WRITES.some((w) => iamLike(a.toLowerCase(), w.toLowerCase())));
}

/**
 * The LeadingKeys patterns a statement is limited to, or undefined when it is not limited by the
 * one condition shape the stack uses (any other condition counts as no limit: the check errs strict).
 */
export function leadingKeysOf(st: Statement): string[] | undefined {
  if (Object.keys(st.Condition ?? {}).length !== 1) return undefined;
  const like = st.Condition?.['ForAllValues:StringLike'];
  if (like === undefined || Object.keys(like).length !== 1 || like['dynamodb:LeadingKeys'] === undefined) return undefined;
  return [like['dynamodb:LeadingKeys']].flat() as string[];
}

/** Whether a statement lets its principal write an item whose partition key is `pk`. */
export function admitsWriteTo(st: Statement, pk: string): boolean {
  if (!writesItems(st)) return false;
  const keys = leadingKeysOf(st);
  return keys === undefined || keys.some((pattern) => iamLike(pattern, pk));
}

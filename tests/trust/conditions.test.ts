import { describe, expect, it } from "vitest";
import { RequestContext, evaluateClause, parseOperator, type ContextInput } from "@/lib/trust";

type Row = [op: string, key: string, values: string[], ctx: ContextInput, expected: boolean];

const K = "k:key";
const rows: Row[] = [
  // String
  ["StringEquals", K, ["abc"], { [K]: "abc" }, true],
  ["StringEquals", K, ["abc"], { [K]: "ABC" }, false],
  ["StringEquals", K, ["x", "abc"], { [K]: "abc" }, true],
  ["StringEquals", K, ["abc"], {}, false],
  ["StringEquals", K, ["a*"], { [K]: "abc" }, false],
  ["StringNotEquals", K, ["abc"], { [K]: "abd" }, true],
  ["StringNotEquals", K, ["abc"], { [K]: "abc" }, false],
  ["StringNotEquals", K, ["x", "abc"], { [K]: "abc" }, false],
  ["StringNotEquals", K, ["abc"], {}, true],
  ["StringEqualsIgnoreCase", K, ["ABC"], { [K]: "abc" }, true],
  ["StringEqualsIgnoreCase", K, ["ABC"], { [K]: "abd" }, false],
  ["StringNotEqualsIgnoreCase", K, ["ABC"], { [K]: "abc" }, false],
  ["StringNotEqualsIgnoreCase", K, ["ABC"], { [K]: "xyz" }, true],
  ["StringNotEqualsIgnoreCase", K, ["ABC"], {}, true],
  ["StringLike", K, ["a*c"], { [K]: "abbbc" }, true],
  ["StringLike", K, ["a*c"], { [K]: "ac" }, true],
  ["StringLike", K, ["a?c"], { [K]: "abc" }, true],
  ["StringLike", K, ["a?c"], { [K]: "ac" }, false],
  ["StringLike", K, ["A*"], { [K]: "abc" }, false],
  ["StringLike", K, ["*"], {}, false],
  ["StringLike", K, ["${*}"], { [K]: "*" }, true],
  ["StringLike", K, ["${*}"], { [K]: "x" }, false],
  ["StringLike", K, ["${aws:username}"], { [K]: "${aws:username}" }, true],
  ["StringNotLike", K, ["a*"], { [K]: "abc" }, false],
  ["StringNotLike", K, ["a*"], { [K]: "xbc" }, true],
  ["StringNotLike", K, ["a*"], {}, true],
  // Key names are case-insensitive, values are not.
  ["StringEquals", "K:KEY", ["abc"], { "k:key": "abc" }, true],
  ["StringEquals", "k:key", ["abc"], { "K:Key": "abc" }, true],
  // IfExists
  ["StringEqualsIfExists", K, ["abc"], {}, true],
  ["StringEqualsIfExists", K, ["abc"], { [K]: "abd" }, false],
  ["StringLikeIfExists", K, ["a*"], { [K]: "abc" }, true],
  ["ArnLikeIfExists", K, ["arn:aws:eks:*:*:cluster/x"], {}, true],
  ["NumericLessThanIfExists", K, ["5"], {}, true],
  // Arn
  ["ArnLike", K, ["arn:aws:eks:*:111122223333:cluster/*"], { [K]: "arn:aws:eks:us-east-1:111122223333:cluster/a" }, true],
  ["ArnLike", K, ["arn:aws:eks:*:111122223333:cluster/*"], { [K]: "arn:aws:eks:us-east-1:999999999999:cluster/a" }, false],
  ["ArnLike", K, ["arn:aws:eks:us-*-1:*:cluster/a"], { [K]: "arn:aws:eks:us-east-1:1:cluster/a" }, true],
  // "*" inside one segment must not swallow the colons of others.
  ["ArnLike", K, ["arn:aws:eks:*:cluster/a"], { [K]: "arn:aws:eks:us-east-1:1:cluster/a" }, false],
  ["ArnEquals", K, ["arn:aws:eks:us-east-1:1:cluster/a"], { [K]: "arn:aws:eks:us-east-1:1:cluster/a" }, true],
  ["ArnEquals", K, ["arn:aws:eks:us-east-1:1:cluster/*"], { [K]: "arn:aws:eks:us-east-1:1:cluster/b" }, true],
  ["ArnLike", K, ["arn:aws:eks:us-east-1:1:cluster/a"], { [K]: "not-an-arn" }, false],
  ["ArnNotEquals", K, ["arn:aws:eks:us-east-1:1:cluster/a"], { [K]: "arn:aws:eks:us-east-1:1:cluster/b" }, true],
  ["ArnNotLike", K, ["arn:aws:eks:*:*:cluster/a"], { [K]: "arn:aws:eks:us-east-1:1:cluster/a" }, false],
  ["ArnNotLike", K, ["arn:aws:eks:*:*:cluster/a"], {}, true],
  // Numeric
  ["NumericEquals", K, ["10"], { [K]: "10" }, true],
  ["NumericEquals", K, ["10"], { [K]: "10.0" }, true],
  ["NumericEquals", K, ["10"], { [K]: "abc" }, false],
  ["NumericNotEquals", K, ["10"], { [K]: "11" }, true],
  ["NumericLessThan", K, ["10"], { [K]: "9" }, true],
  ["NumericLessThan", K, ["10"], { [K]: "10" }, false],
  ["NumericLessThanEquals", K, ["10"], { [K]: "10" }, true],
  ["NumericGreaterThan", K, ["10"], { [K]: "11" }, true],
  ["NumericGreaterThanEquals", K, ["10"], { [K]: "9" }, false],
  ["NumericGreaterThan", K, ["10"], {}, false],
  // Date
  ["DateLessThan", K, ["2030-01-01T00:00:00Z"], { [K]: "2025-06-01T00:00:00Z" }, true],
  ["DateGreaterThan", K, ["2030-01-01T00:00:00Z"], { [K]: "2025-06-01T00:00:00Z" }, false],
  ["DateEquals", K, ["2025-06-01T00:00:00Z"], { [K]: "2025-06-01T00:00:00.000Z" }, true],
  ["DateNotEquals", K, ["2025-06-01T00:00:00Z"], { [K]: "2025-06-02T00:00:00Z" }, true],
  ["DateLessThanEquals", K, ["1748736000"], { [K]: "2025-06-01T00:00:00Z" }, true],
  ["DateGreaterThanEquals", K, ["2025-06-01"], { [K]: "garbage" }, false],
  // Bool, Binary, IP
  ["Bool", K, ["true"], { [K]: "true" }, true],
  ["Bool", K, ["true"], { [K]: "false" }, false],
  ["Bool", K, ["TRUE"], { [K]: "true" }, true],
  ["Bool", K, ["true"], {}, false],
  ["BoolIfExists", K, ["false"], {}, true],
  ["BinaryEquals", K, ["QmluYXJ5"], { [K]: "QmluYXJ5" }, true],
  ["IpAddress", K, ["10.0.0.0/8"], { [K]: "10.1.2.3" }, true],
  ["IpAddress", K, ["10.0.0.0/8"], { [K]: "11.1.2.3" }, false],
  ["NotIpAddress", K, ["10.0.0.0/8"], {}, true],
  // Null
  ["Null", K, ["true"], {}, true],
  ["Null", K, ["true"], { [K]: "x" }, false],
  ["Null", K, ["false"], { [K]: "x" }, true],
  ["Null", K, ["false"], {}, false],
  ["Null", K, ["false"], { [K]: [] }, false],
  // Set operators on a multi-valued key
  ["ForAnyValue:StringEquals", K, ["a"], { [K]: ["a", "b"] }, true],
  ["ForAnyValue:StringEquals", K, ["c"], { [K]: ["a", "b"] }, false],
  ["ForAnyValue:StringEquals", K, ["a"], {}, false],
  ["ForAllValues:StringEquals", K, ["a", "b", "c"], { [K]: ["a", "b"] }, true],
  ["ForAllValues:StringEquals", K, ["a"], { [K]: ["a", "b"] }, false],
  ["ForAllValues:StringEquals", K, ["a"], {}, true],
  ["ForAllValues:StringLike", K, ["kubernetes-*", "eks-*"], { [K]: ["eks-cluster-arn", "kubernetes-namespace"] }, true],
  ["ForAnyValue:StringNotEquals", K, ["a"], { [K]: ["a", "b"] }, true],
  ["ForAllValues:StringNotEquals", K, ["a"], { [K]: ["a", "b"] }, false],
  ["ForAnyValue:StringEqualsIfExists", K, ["a"], {}, true],
  ["forallvalues:stringequals", K, ["a"], { [K]: ["a"] }, true],
  // Plain operator on a multi-valued key: any value matching is enough; negation is NOR.
  ["StringEquals", K, ["b"], { [K]: ["a", "b"] }, true],
  ["StringNotEquals", K, ["b"], { [K]: ["a", "b"] }, false],
];

describe("condition operators", () => {
  it.each(rows)("%s %s %j with %j -> %s", (op, key, values, ctx, expected) => {
    const r = evaluateClause({ operator: parseOperator(op), key, values }, new RequestContext(ctx));
    expect(r.ok).toBe(expected);
  });

  it.each(["StringEqualz", "Foo:StringEquals", "NullIfExists", "ForAnyValue:Null", "IpAddres"])(
    "rejects unknown operator %s by name",
    (op) => {
      expect(() => parseOperator(op)).toThrow(op);
    },
  );

  it("explains a failed match with the request and policy values", () => {
    const r = evaluateClause(
      { operator: parseOperator("StringEquals"), key: K, values: ["want"] },
      new RequestContext({ [K]: "got" }),
    );
    expect(r.why).toContain('"got"');
    expect(r.why).toContain('"want"');
  });
});

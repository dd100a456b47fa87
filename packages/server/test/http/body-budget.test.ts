import { describe, expect, it } from "vitest";
import { createBodyBudget } from "../../src/http/body-budget.js";

describe("createBodyBudget", () => {
  it("reserves up to its limit exactly, and refuses more without taking anything", () => {
    const budget = createBodyBudget(100);
    expect(budget.reserve(60)).toBe(true);
    expect(budget.available).toBe(40);
    expect(budget.reserve(41)).toBe(false);
    expect(budget.available).toBe(40);
    expect(budget.reserve(40)).toBe(true);
    expect(budget.available).toBe(0);
    expect(budget.reserve(1)).toBe(false);
  });

  it("takes back what is released", () => {
    const budget = createBodyBudget(100);
    expect(budget.reserve(100)).toBe(true);
    budget.release(30);
    expect(budget.available).toBe(30);
    expect(budget.reserve(31)).toBe(false);
    expect(budget.reserve(30)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { createSlots } from "../../src/engine/create-slots.js";

describe("createSlots", () => {
  it("hands out as many slots as it has, then refuses", () => {
    const slots = createSlots(2);
    expect([slots.tryTake(), slots.tryTake(), slots.tryTake()]).toEqual([true, true, false]);
    slots.give();
    expect(slots.tryTake()).toBe(true);
    slots.give();
    slots.give();
    expect([slots.tryTake(), slots.tryTake(), slots.tryTake()]).toEqual([true, true, false]);
  });

  it("lets take resolve at once while a slot is free", async () => {
    const slots = createSlots(1);
    await slots.take();
    expect(slots.tryTake()).toBe(false);
    slots.give();
    await slots.take();
    expect(slots.tryTake()).toBe(false);
  });

  it("serves those queued in order, before anyone who only tries", async () => {
    const slots = createSlots(1);
    expect(slots.tryTake()).toBe(true);
    const served: string[] = [];
    const first = slots.take().then(() => served.push("first"));
    const second = slots.take().then(() => served.push("second"));
    slots.give();
    expect(slots.tryTake()).toBe(false);
    await first;
    expect(served).toEqual(["first"]);
    slots.give();
    await second;
    expect(served).toEqual(["first", "second"]);
    slots.give();
    expect(slots.tryTake()).toBe(true);
  });
});

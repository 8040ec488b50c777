// A batch of one list version's entries, as the list states them.
UNWIND $rows AS r
CREATE (:ListEntry {
  list: $list, version: $label, entryId: r.entryId, name: r.name, aliases: r.aliases, aliasKinds: r.aliasKinds,
  programs: r.programs, countries: r.countries, dprk: r.dprk, type: r.type, linkedTo: r.linkedTo, remarks: r.remarks,
  namesKey: r.namesKey
})

package io.layercache.codec.testdomain;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A typical cached POJO: no no-arg constructor, nested objects, collections, an enum. */
public final class Person implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int age;
  private final LocalDate birthday;
  private final Status status;
  private final Address address;
  private final List<String> emails;
  private final Map<String, Integer> scores;
  private Object note;

  public Person(String name, int age, LocalDate birthday, Status status, Address address,
      List<String> emails, Map<String, Integer> scores) {
    this.name = name;
    this.age = age;
    this.birthday = birthday;
    this.status = status;
    this.address = address;
    this.emails = new ArrayList<>(emails);
    this.scores = new LinkedHashMap<>(scores);
  }

  public Person withNote(Object newNote) {
    this.note = newNote;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Person p && age == p.age && name.equals(p.name)
        && Objects.equals(birthday, p.birthday) && status == p.status
        && Objects.equals(address, p.address) && emails.equals(p.emails)
        && scores.equals(p.scores) && Objects.equals(note, p.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, age);
  }

  @Override
  public String toString() {
    return "Person[" + name + ", " + age + ", " + address + ", " + emails + ", " + scores + "]";
  }
}

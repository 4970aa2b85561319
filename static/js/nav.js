// The Settings menu in the top bar closes when one clicks anywhere else.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.navgroup[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
